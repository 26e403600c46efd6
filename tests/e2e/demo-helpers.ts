/** Shared steps for the demo app specs (apps/demo served by `vite preview` on DEMO_URL). */
import { expect, type Page } from '@playwright/test';
import { renderVinLabel } from '../../packages/core/test/fixtures/render.ts';
import { CHROMIUM_ARGS, DEMO_URL } from '../../playwright.config.ts';

export const VIN = '1HGCM82633A004352';

/** The project-made fixture: a VIN label, 960×540 PNG. */
export const vinPng = (): Buffer => renderVinLabel(VIN, { width: 960, height: 540 });

/** Opens the demo on WASM (SwiftShader WebGPU is a CPU rasteriser: slow) and waits for the models. */
export async function openDemo(page: Page, query = '?backend=wasm'): Promise<void> {
  await page.goto(`/${query}`);
  await expect(page.locator('body')).toHaveAttribute('data-status', 'ready', { timeout: 120_000 });
}

export async function uploadVinFixture(page: Page): Promise<void> {
  await page.locator('#file').setInputFiles({ name: 'vin-label.png', mimeType: 'image/png', buffer: vinPng() });
}

/** The JSON panel, parsed. */
export async function shownJson<T = Record<string, unknown>>(page: Page): Promise<T> {
  return JSON.parse((await page.locator('#json').textContent()) ?? '{}') as T;
}

/** RGBA of overlay canvas pixels (canvas coordinates = image pixels). */
export function overlayPixels(page: Page, points: [number, number][]): Promise<number[][]> {
  return page.evaluate((pts) => {
    const c = document.getElementById('overlay') as HTMLCanvasElement;
    const ctx = c.getContext('2d')!;
    return pts.map(([x, y]) => Array.from(ctx.getImageData(Math.round(x), Math.round(y), 1, 1).data));
  }, points);
}

/** test.use() options for the demo in a Chromium whose camera plays `y4m` (Chromium's fake capture, looping). */
export function fakeCamera(y4m: string) {
  return {
    baseURL: DEMO_URL,
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [...CHROMIUM_ARGS, '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${y4m}`],
    },
  };
}
