/**
 * Camera mode with Chromium's fake camera playing a project-made Y4M clip of a VIN label held
 * still: the app feeds the video to the core's VIN tracker (latest frame wins, frames to the
 * worker) and lists the confirmed VIN in its history. The moving street clip (two cars) is
 * demo-camera-street.spec.ts: Chromium takes one camera file per browser launch.
 */
import { expect, test } from '@playwright/test';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VIN, fakeCamera, openDemo, shownJson, vinPng } from './demo-helpers.ts';
import { writeY4m } from './y4m.ts';

// The clip must exist before the browser starts (its path is a launch argument).
const CLIP = join(tmpdir(), `platelens-demo-vin-${process.pid}.y4m`);
{
  const img = await loadImage(vinPng());
  const c = createCanvas(img.width, img.height);
  const ctx = c.getContext('2d');
  ctx.drawImage(img, 0, 0);
  const still = ctx.getImageData(0, 0, img.width, img.height).data;
  writeY4m(CLIP, [still, still, still], img.width, img.height, 10);
}

test.use(fakeCamera(CLIP));

test('camera mode reads the VIN from live video frames', async ({ page, context }) => {
  await context.grantPermissions(['camera']);
  await openDemo(page);
  await page.getByRole('button', { name: 'Start camera' }).click();
  await expect(page.getByRole('button', { name: 'Stop camera' })).toHaveAttribute('aria-pressed', 'true');
  await expect(page.locator('#video')).toBeVisible();
  await expect(page.locator('#summary .reading-text')).toHaveText(VIN, { timeout: 90_000 });
  const json = await shownJson<{ vin: string; success: boolean }>(page);
  expect(json).toMatchObject({ success: true, vin: VIN });
  // the overlay follows the video's own resolution
  const size = await page.evaluate(() => {
    const v = document.getElementById('video') as HTMLVideoElement;
    const c = document.getElementById('overlay') as HTMLCanvasElement;
    return { video: [v.videoWidth, v.videoHeight], canvas: [c.width, c.height] };
  });
  expect(size.canvas).toEqual(size.video);
  // the loop keeps going: a later frame is recognised again (time updates), then stops cleanly
  const first = await page.locator('#time').textContent();
  await expect.poll(async () => page.locator('#time').textContent(), { timeout: 60_000 }).not.toBe(first);
  // confirmed by the VIN tracker (check digit + confidence): in the history
  await expect(page.locator('#history-list .history-item')).toHaveCount(1);
  await expect(page.locator('#history-list .history-text')).toHaveText(VIN);
  await page.getByRole('button', { name: 'Stop camera' }).click();
  await expect(page.getByRole('button', { name: 'Start camera' })).toHaveAttribute('aria-pressed', 'false');
  await expect(page.locator('#video')).toBeHidden();
});
