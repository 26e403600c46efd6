import { expect, test } from '@playwright/test';
import { fileURLToPath } from 'node:url';
import { DEMO_URL } from '../../playwright.config.ts';
import { VIN, openDemo, overlayPixels, shownJson, uploadVinFixture } from './demo-helpers.ts';

test.use({ baseURL: DEMO_URL, viewport: { width: 1280, height: 800 } });

// The README's image is refreshed only on request (`pnpm screenshot`); test runs write an ignored copy.
const SCREENSHOT = fileURLToPath(
  new URL(process.env.PLATELENS_UPDATE_SCREENSHOT ? '../../docs/demo-screenshot.png' : '../../test-results/demo-screenshot.png', import.meta.url),
);
const isCyan = ([r, g, b, a]: number[]) => a > 200 && r < 100 && g > 160 && b > 180;

interface VinJson {
  success: boolean;
  vin: string;
  confidence: number;
  box: { xmin: number; ymin: number; xmax: number; ymax: number };
}

test('upload a VIN label: the overlay is drawn on the box and the JSON shows the VIN', async ({ page }) => {
  await openDemo(page);
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  await expect(page.locator('#backend')).toHaveText('WASM');
  await expect(page.locator('#loading')).toBeHidden();

  await uploadVinFixture(page);
  await expect(page.locator('#summary .reading-text')).toHaveText(VIN);
  const json = await shownJson<VinJson>(page);
  expect(json.success).toBe(true);
  expect(json.vin).toBe(VIN);
  expect(json.confidence).toBeGreaterThan(0.5);
  await expect(page.locator('#source')).toContainText('on device');
  await expect(page.locator('#time')).toHaveText(/^\d+ ms$/);

  // the canvas is in image pixels; the stroke sits on the box edges, the inside stays clear
  const { xmin, ymin, xmax, ymax } = json.box;
  expect(await page.locator('#overlay').evaluate((c: HTMLCanvasElement) => [c.width, c.height])).toEqual([960, 540]);
  const midY = (ymin + ymax) / 2;
  const midX = (xmin + xmax) / 2;
  const [left, right, bottom, inside, outside] = await overlayPixels(page, [
    [xmin, midY],
    [xmax, midY],
    [midX, ymax],
    [midX, midY],
    [xmin - 12, ymax + 12],
  ]);
  expect(isCyan(left), `left edge ${left}`).toBe(true);
  expect(isCyan(right), `right edge ${right}`).toBe(true);
  expect(isCyan(bottom), `bottom edge ${bottom}`).toBe(true);
  expect(inside[3]).toBe(0);
  expect(outside[3]).toBe(0);

  // the overlay lines up with the displayed image
  const [img, canvas] = await Promise.all([page.locator('#photo').boundingBox(), page.locator('#overlay').boundingBox()]);
  expect(canvas).toEqual(img);

  await page.screenshot({ path: SCREENSHOT });
});

test('Plate mode: says the plate models are not available while the manifest has none', async ({ page, request }) => {
  const manifest = (await (await request.get('/models/manifest.json')).json()) as { models: { name: string }[] };
  const hasPlate = ['plate-detector', 'plate-reader'].every((n) => manifest.models.some((m) => m.name === n));
  await openDemo(page);
  await page.getByRole('radio', { name: 'Plate' }).check();
  if (hasPlate) {
    await expect(page.locator('#notice')).toBeHidden();
  } else {
    await expect(page.locator('#notice')).toBeVisible();
    await expect(page.locator('#notice')).toContainText('Plate models not available');
  }
  // back to VIN: the notice goes away
  await page.getByRole('radio', { name: 'VIN' }).check();
  await expect(page.locator('#notice')).toBeHidden();
});

test('phone-sized, labelled and keyboard usable; settings persist in localStorage', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await openDemo(page);
  // nothing wider than the phone
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  // every control has an accessible name
  await expect(page.getByRole('radio', { name: 'VIN' })).toBeChecked();
  await expect(page.getByRole('button', { name: 'Start camera' })).toBeVisible();
  await page.getByText('Settings').click();
  await expect(page.getByRole('slider', { name: /Confidence threshold/ })).toBeVisible();
  await expect(page.getByRole('combobox', { name: 'Backend' })).toHaveValue('wasm');
  await expect(page.getByRole('checkbox', { name: /Cloud fallback/ })).not.toBeChecked();
  await expect(page.getByLabel('CarsXE API key')).toBeDisabled();
  const unlabelled = await page.evaluate(() =>
    [...document.querySelectorAll('input, select, button, textarea')]
      .filter((el) => {
        const e = el as HTMLInputElement;
        return !(e.labels?.length || e.getAttribute('aria-label') || e.getAttribute('aria-labelledby') || (el.tagName === 'BUTTON' && el.textContent?.trim()));
      })
      .map((el) => el.outerHTML),
  );
  expect(unlabelled).toEqual([]);

  // keyboard: Enter on the empty viewer opens the file picker; arrow keys switch mode
  const chooser = page.waitForEvent('filechooser');
  await page.locator('#stage').focus();
  await page.keyboard.press('Enter');
  expect((await chooser).isMultiple()).toBe(false);
  await page.getByRole('radio', { name: 'VIN' }).focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('radio', { name: 'Plate' })).toBeChecked();

  // settings: the key stays in this browser
  await page.getByRole('checkbox', { name: /Cloud fallback/ }).check();
  await page.getByLabel('CarsXE API key').fill('test-key-123');
  await page.getByLabel('CarsXE API key').press('Tab');
  const stored = await page.evaluate(() => JSON.parse(localStorage.getItem('platelens.demo.settings') ?? '{}'));
  expect(stored).toMatchObject({ cloud: true, apiKey: 'test-key-123' });
  await page.reload();
  await page.getByText('Settings').click();
  await expect(page.getByLabel('CarsXE API key')).toHaveValue('test-key-123');
});
