/** The PWA: after one online visit the app loads and recognises with the network off. */
import { expect, test } from '@playwright/test';
import { DEMO_URL } from '../../playwright.config.ts';
import { VIN, openDemo, shownJson, uploadVinFixture } from './demo-helpers.ts';

test.use({ baseURL: DEMO_URL, serviceWorkers: 'allow' });

test('offline after one visit: cached app, ORT wasm and models; still cross-origin isolated', async ({ page, context }) => {
  await openDemo(page);
  // active = installed = the precache (app, .wasm, models) is complete; clientsClaim makes it control the page
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) await new Promise((r) => navigator.serviceWorker.addEventListener('controllerchange', r, { once: true }));
  });
  await expect(page.locator('#offline')).toBeVisible();
  const cached = await page.evaluate(async () => {
    const urls: string[] = [];
    for (const name of await caches.keys()) for (const req of await (await caches.open(name)).keys()) urls.push(new URL(req.url).pathname);
    return urls;
  });
  expect(cached.some((u) => /ort-wasm-simd-threaded-[^.]+\.wasm$/.test(u))).toBe(true);
  // the WebGPU build (26.8 MB) is not downloaded where WebGPU does not run (here: a software adapter only)
  expect(cached.filter((u) => u.includes('.asyncify'))).toEqual([]);
  expect(cached).toEqual(expect.arrayContaining(['/models/manifest.json', '/models/text-det.onnx', '/models/text-rec.onnx']));

  await context.setOffline(true);
  await page.reload();
  await expect(page.locator('body')).toHaveAttribute('data-status', 'ready', { timeout: 120_000 });
  expect(await page.evaluate(() => navigator.onLine)).toBe(false);
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  await uploadVinFixture(page);
  await expect(page.locator('#summary .reading-text')).toHaveText(VIN);
  expect(await shownJson(page)).toMatchObject({ success: true, vin: VIN });
});
