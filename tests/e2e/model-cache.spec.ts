/**
 * Models are kept in Cache Storage after their sha256 check: a second recognizer in the same
 * browser profile fetches no .onnx file; a corrupted cache entry is fetched again (never used);
 * useBrowserCache: false always goes to the network.
 */
import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';

const PLATE_IMAGE = readFileSync(new URL('../../packages/cli/samples/plate-street.jpg', import.meta.url)).toString('base64');

async function readPlate(page: Page, options: Record<string, unknown> = {}) {
  return page.evaluate(
    async ({ image, options }) => {
      const r = await window.platelens.createRecognizer({ backend: 'wasm', tasks: ['plate'], modelBaseUrl: '/', ...options });
      const res = await r.recognizePlate(image);
      await r.dispose();
      return res.results.map((p) => p.plate);
    },
    { image: PLATE_IMAGE, options },
  );
}

test('second load reads models from Cache Storage; a corrupted entry is re-fetched; useBrowserCache: false skips it', async ({ page, context }) => {
  await page.goto('/');
  await expect(page.locator('#status')).toHaveText('ready');
  const onnx: string[] = [];
  context.on('request', (r) => void (r.url().endsWith('.onnx') && onnx.push(new URL(r.url()).pathname)));
  const fetched = () => onnx.splice(0).sort();

  expect(await readPlate(page)).toEqual(['448ljt']);
  expect(fetched()).toEqual(['/plate-detector.onnx', '/plate-reader.onnx']);
  const cached = await page.evaluate(async () => (await (await caches.open('platelens-models')).keys()).map((r) => new URL(r.url).pathname).sort());
  expect(cached).toEqual(['/plate-detector.onnx', '/plate-reader.onnx']);

  expect(await readPlate(page)).toEqual(['448ljt']);
  expect(fetched()).toEqual([]);

  // same size, wrong bytes: the sha256 check must refuse it and fetch the real file
  await page.evaluate(async () => {
    const cache = await caches.open('platelens-models');
    const url = new URL('/plate-reader.onnx', location.href).href;
    const size = (await (await cache.match(url))!.arrayBuffer()).byteLength;
    await cache.put(url, new Response(new Uint8Array(size).fill(7)));
  });
  expect(await readPlate(page)).toEqual(['448ljt']);
  expect(fetched()).toEqual(['/plate-reader.onnx']);

  expect(await readPlate(page, { useBrowserCache: false })).toEqual(['448ljt']);
  expect(fetched()).toEqual(['/plate-detector.onnx', '/plate-reader.onnx']);
});
