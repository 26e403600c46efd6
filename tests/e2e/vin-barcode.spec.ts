import { expect, test } from '@playwright/test';
import { generateVinBarcodeScene } from '../../packages/core/test/gen/vin-barcode-scenes.ts';

/**
 * A barcode-only VIN sticker (the VIN printed only as a Code 39 with the import marker)
 * read in the worker on WASM: zxing-wasm's wasm comes from the app's own origin (the
 * bundler's asset), never from a CDN.
 */
test('the worker reads a Code 39 VIN barcode on WASM, its wasm from our own origin', async ({ page }) => {
  const scene = await generateVinBarcodeScene(391, { symbology: 'Code39', importMarker: true, textless: true, format: 'jpeg' });
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  await page.goto('/');
  await expect(page.locator('#status')).toHaveText('ready');
  const out = await page.evaluate(async (b64) => {
    const r = await window.platelens.createRecognizer({ backend: 'wasm', tasks: ['vin'], modelBaseUrl: '/' });
    const res = await r.readVin(b64);
    const backend = r.backend;
    await r.dispose();
    return { res, backend };
  }, Buffer.from(scene.bytes).toString('base64'));
  expect(out.backend).toBe('wasm');
  expect(out.res.vin).toBe(scene.vin);
  expect(out.res.confidence).toBeGreaterThan(0.9);
  const b = out.res.box, g = scene.barcodeBox!;
  const inter = Math.max(0, Math.min(b.xmax, g.xmax) - Math.max(b.xmin, g.xmin)) * Math.max(0, Math.min(b.ymax, g.ymax) - Math.max(b.ymin, g.ymin));
  const union = (b.xmax - b.xmin) * (b.ymax - b.ymin) + (g.xmax - g.xmin) * (g.ymax - g.ymin) - inter;
  expect(inter / union).toBeGreaterThan(0.5);
  expect(requests.some((u) => u.includes('zxing_reader') && u.endsWith('.wasm'))).toBe(true);
  expect(requests.filter((u) => !u.startsWith('http://127.0.0.1') && !u.startsWith('data:') && !u.startsWith('blob:'))).toEqual([]);
});
