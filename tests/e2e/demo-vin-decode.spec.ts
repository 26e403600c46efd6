import { expect, test } from '@playwright/test';
import { DEMO_URL } from '../../playwright.config.ts';
import { openDemo, uploadVinFixture, VIN } from './demo-helpers.ts';

test.use({ baseURL: DEMO_URL, viewport: { width: 1280, height: 800 } });

test('the demo shows the offline decode beside the VIN (vPIC maker and country, model year, check digit)', async ({ page }) => {
  await openDemo(page);
  await uploadVinFixture(page);
  await expect(page.locator('#summary .reading-text')).toHaveText(VIN);
  const decode = page.getByTestId('vin-decode');
  await expect(decode).toContainText('AMERICAN HONDA MOTOR CO., INC.');
  await expect(decode).toContainText('UNITED STATES (USA)');
  await expect(decode).toContainText('2003');
  await expect(decode).toContainText('valid');
  await expect(decode).toContainText('horizontal');
});
