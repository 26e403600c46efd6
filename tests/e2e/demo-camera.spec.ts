/**
 * Camera mode with Chromium's fake camera playing a project-made Y4M clip of a VIN label:
 * the app recognises live frames (HTMLVideoElement input, one frame in flight).
 */
import { expect, test } from '@playwright/test';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM_ARGS, DEMO_URL } from '../../playwright.config.ts';
import { VIN, openDemo, shownJson, vinPng } from './demo-helpers.ts';

/** RGBA → one I420 frame (JPEG full-range BT.601, chroma averaged over 2×2), for C420jpeg. */
function rgbaToI420(rgba: Uint8ClampedArray, w: number, h: number): Buffer {
  const out = Buffer.alloc(w * h * 1.5);
  const u0 = w * h;
  const v0 = u0 + (w / 2) * (h / 2);
  const clamp = (x: number) => Math.max(0, Math.min(255, Math.round(x)));
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 4;
      out[y * w + x] = clamp(0.299 * rgba[i] + 0.587 * rgba[i + 1] + 0.114 * rgba[i + 2]);
    }
  }
  for (let y = 0; y < h / 2; y++) {
    for (let x = 0; x < w / 2; x++) {
      let r = 0, g = 0, b = 0;
      for (const [dx, dy] of [[0, 0], [1, 0], [0, 1], [1, 1]]) {
        const i = ((2 * y + dy) * w + 2 * x + dx) * 4;
        r += rgba[i] / 4;
        g += rgba[i + 1] / 4;
        b += rgba[i + 2] / 4;
      }
      out[u0 + y * (w / 2) + x] = clamp(128 - 0.168736 * r - 0.331264 * g + 0.5 * b);
      out[v0 + y * (w / 2) + x] = clamp(128 + 0.5 * r - 0.418688 * g - 0.081312 * b);
    }
  }
  return out;
}

/** A tiny Y4M encoder: the same still frame `frames` times at 10 fps. */
export function y4m(rgba: Uint8ClampedArray, w: number, h: number, frames: number): Buffer {
  const frame = rgbaToI420(rgba, w, h);
  const parts: Buffer[] = [Buffer.from(`YUV4MPEG2 W${w} H${h} F10:1 Ip A1:1 C420jpeg\n`)];
  for (let i = 0; i < frames; i++) parts.push(Buffer.from('FRAME\n'), frame);
  return Buffer.concat(parts);
}

// The clip must exist before the browser starts (its path is a launch argument).
const CLIP = join(tmpdir(), `platelens-demo-vin-${process.pid}.y4m`);
{
  const img = await loadImage(vinPng());
  const c = createCanvas(img.width, img.height);
  const ctx = c.getContext('2d');
  ctx.drawImage(img, 0, 0);
  writeFileSync(CLIP, y4m(ctx.getImageData(0, 0, img.width, img.height).data, img.width, img.height, 3));
}

test.use({
  baseURL: DEMO_URL,
  launchOptions: {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      ...CHROMIUM_ARGS,
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
      `--use-file-for-fake-video-capture=${CLIP}`,
    ],
  },
});

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
  await page.getByRole('button', { name: 'Stop camera' }).click();
  await expect(page.getByRole('button', { name: 'Start camera' })).toHaveAttribute('aria-pressed', 'false');
  await expect(page.locator('#video')).toBeHidden();
});
