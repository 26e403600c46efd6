/**
 * Images never leave the device by accident: base64 inputs (JPEG base64 starts with
 * '/9j/', which once was taken for a page-relative path and sent to the server as
 * `GET /9j/4AAQ…`) are read locally with zero network requests, from the page or the
 * worker. A positive control proves worker requests are recorded at all.
 */
import { expect, test } from '@playwright/test';
import sharp from 'sharp';
import { renderVinLabel } from '../../packages/core/test/fixtures/render.ts';

const VIN = '5YJSA1E17HF000006';

test('base64 JPEG, PNG and WebP (raw and data URL) are read with zero network requests', async ({ page, context }) => {
  await page.goto('/');
  await expect(page.locator('#status')).toHaveText('ready');
  const png = renderVinLabel(VIN, { width: 640, height: 360 });
  const inputs = {
    jpeg: (await sharp(png).jpeg({ quality: 90 }).toBuffer()).toString('base64'),
    png: png.toString('base64'),
    webp: (await sharp(png).webp({ quality: 90 }).toBuffer()).toString('base64'),
  };
  expect(inputs.jpeg.startsWith('/9j/')).toBe(true);
  await page.evaluate(async () => {
    (window as any).__rec = await window.platelens.createRecognizer({ backend: 'wasm', tasks: ['vin'], modelBaseUrl: '/' });
  });

  const requests: string[] = [];
  const record = (r: { url(): string }) => requests.push(r.url());
  page.on('request', record);
  context.on('request', record);
  const out = await page.evaluate(async (inputs) => {
    const r = (window as any).__rec as import('@platelens/core').Recognizer;
    const reads: Record<string, string> = {};
    for (const [fmt, b64] of Object.entries(inputs)) {
      reads[fmt] = (await r.readVin(b64)).vin;
      reads[`${fmt} (data URL)`] = (await r.readVin(`data:image/${fmt};base64,${b64}`)).vin;
      // wrapped in whitespace/newlines as pasted base64 often is
      reads[`${fmt} (line-wrapped)`] = (await r.readVin(b64.replace(/(.{76})/g, '$1\n'))).vin;
    }
    return reads;
  }, inputs);
  const duringReads = [...new Set(requests)];

  // positive control: an explicit URL input is fetched by the worker and shows up here
  const control = await page.evaluate(async () => {
    const r = (window as any).__rec as import('@platelens/core').Recognizer;
    const e = await r.readVin(new URL('/manifest.json?control', location.href)).catch((e) => e);
    await r.dispose();
    return { code: e.code, status: e.status };
  });
  page.off('request', record);
  context.off('request', record);

  for (const [k, vin] of Object.entries(out)) expect(vin, k).toBe(VIN);
  expect(Object.keys(out)).toHaveLength(9);
  expect(duringReads).toEqual([]);
  expect(control).toEqual({ code: 'INVALID_IMAGE', status: 400 }); // JSON is not an image
  expect(requests.some((u) => u.endsWith('/manifest.json?control'))).toBe(true);
});

test('strings that are neither an absolute URL nor base64 are refused without a request', async ({ page }) => {
  await page.goto('/');
  await expect(page.locator('#status')).toHaveText('ready');
  await page.evaluate(async () => {
    (window as any).__rec = await window.platelens.createRecognizer({ backend: 'wasm', tasks: ['vin'], modelBaseUrl: '/' });
  });
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  const out = await page.evaluate(async () => {
    const r = (window as any).__rec as import('@platelens/core').Recognizer;
    const res: Record<string, unknown> = {};
    for (const s of ['/images/car.jpg', './car.jpg', '../car.jpg', 'car.jpg', 'file:///etc/passwd', 'javascript:alert(1)', 'ftp://x/y.jpg']) {
      res[s] = await r.readVin(s).then(
        () => 'resolved',
        (e) => `${e.name} ${e.status} ${e.code}`,
      );
    }
    await r.dispose();
    return res;
  });
  for (const [s, v] of Object.entries(out)) expect(v, s).toBe('PlateLensError 400 INVALID_IMAGE');
  expect(requests).toEqual([]);
});
