/**
 * The demo on still images (plate mode): every reading shows its candidates and its region with
 * the score, the backend is named; the region picker and the fast-mode switch re-read the image
 * with those options. A file that is not an image clears the viewer (a mode switch then reads
 * nothing) and the error JSON carries CarsXE's status and a code.
 */
import { expect, test } from '@playwright/test';
import { generatePlateScene } from '../../packages/core/test/gen/plate-scenes.ts';
import { DEMO_URL } from '../../playwright.config.ts';
import { openDemo, shownJson } from './demo-helpers.ts';

test.use({ baseURL: DEMO_URL });

test('plate image: candidates, region and backend; region picker and fast switch; a non-image file clears the viewer', async ({ page }) => {
  const scene = generatePlateScene(1103, { plates: 1, style: 'us', format: 'jpeg' });
  const text = scene.plates[0].text;
  await openDemo(page);
  await page.getByRole('radio', { name: 'Plate' }).check();
  await expect(page.getByRole('group', { name: 'Plate options' })).toBeVisible();
  await page.locator('#file').setInputFiles({ name: 'car.jpg', mimeType: 'image/jpeg', buffer: Buffer.from(scene.bytes) });
  await expect(page.locator('#summary .reading-text').first()).toHaveText(text);
  // alternatives are listed when the answer has any (a reader sure of every character has none)
  const answer = (await shownJson<{ results: { candidates: { plate: string }[] }[] }>(page)).results[0];
  const candidates = page.getByRole('list', { name: `Candidates for ${text}` }).locator('li');
  if (answer.candidates.length > 1) {
    await expect(candidates).toHaveCount(answer.candidates.length);
    await expect(candidates.first()).toContainText(text);
  } else {
    expect(answer.candidates.map((c) => c.plate)).toEqual([text.toLowerCase()]);
    await expect(candidates).toHaveCount(0);
  }
  await expect(page.locator('#summary')).toContainText(/region us[a-z-]* \(\d+%\)/);
  await expect(page.locator('#source')).toHaveText('on device (WASM)');

  // the region picker re-reads with the hint: the region follows it
  await page.getByLabel('Region').selectOption('us-ca');
  await expect(page.locator('#summary')).toContainText(/region us-ca \(\d+%\)/);
  expect((await shownJson<{ results: { region?: { code: string } }[] }>(page)).results[0].region?.code).toBe('us-ca');
  // the fast switch re-reads too (a new answer: its processing_time)
  const before = await page.locator('#json').textContent();
  await page.getByLabel('Fast mode').check();
  await expect.poll(() => page.locator('#json').textContent()).not.toBe(before);
  await expect(page.locator('#summary .reading-text').first()).toHaveText(text);

  // a file that is not an image: the viewer is cleared, the JSON says why with status and code
  await page.locator('#file').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not an image') });
  await expect(page.locator('#photo')).toBeHidden();
  const err = await shownJson(page);
  expect(err).toMatchObject({ success: false, status: 400, code: 'INVALID_IMAGE' });
  // switching mode must not bring the previous image back or read it again
  await page.getByRole('radio', { name: 'VIN' }).check();
  await expect(page.locator('#photo')).toBeHidden();
  await expect(page.locator('#summary')).toContainText('Open an image or start the camera');
  expect(await shownJson(page)).toEqual({});
});
