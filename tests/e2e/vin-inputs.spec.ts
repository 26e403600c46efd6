import { expect, test } from '@playwright/test';
import sharp from 'sharp';
import { badInputs } from '../../packages/core/test/fixtures/bad-inputs.ts';
import { renderVinLabel } from '../../packages/core/test/fixtures/render.ts';

const VIN = '5YJSA1E17HF000006';
const b64 = (u: Uint8Array) => Buffer.from(u).toString('base64');

test('bad inputs get typed 400-class errors, nothing hangs, and the same worker then reads a VIN', async ({ page }) => {
  await page.goto('/');
  await expect(page.locator('#status')).toHaveText('ready');
  const png = new Uint8Array(renderVinLabel(VIN, { width: 640, height: 360 }));
  const jpeg = new Uint8Array(await sharp(png).jpeg({ quality: 85 }).toBuffer());
  const corpus = badInputs({ jpeg, png }).map((b) => ({
    name: b.name,
    kind: b.kind,
    data: b.bytes ? b64(b.bytes) : b.text,
    pixels: b.pixels,
  }));
  expect(corpus.length).toBeGreaterThanOrEqual(15);
  const out = await page.evaluate(
    async ({ corpus, good }) => {
      const fromB64 = (s: string) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
      const r = await window.platelens.createRecognizer({ backend: 'wasm', tasks: ['vin'], modelBaseUrl: '/' });
      const results = [];
      for (const c of corpus) {
        // alternate byte containers so Blob and Uint8Array paths are both covered
        const input =
          c.kind === 'string'
            ? c.data!
            : c.kind === 'pixels'
              ? { data: new Uint8ClampedArray(c.pixels!.length), width: c.pixels!.width, height: c.pixels!.height }
              : results.length % 2
                ? new Blob([fromB64(c.data!)])
                : fromB64(c.data!);
        const t0 = performance.now();
        const e = await Promise.race([
          r.readVin(input as never).then(() => null, (err) => err),
          new Promise((res) => setTimeout(() => res({ name: 'Timeout' }), 20_000)),
        ]);
        const err = e as { name?: string; status?: number; code?: string; message?: string } | null;
        results.push({ name: c.name, errName: err?.name, status: err?.status, message: err?.message, ms: performance.now() - t0 });
      }
      const after = await r.readVin(new Blob([fromB64(good)], { type: 'image/png' }));
      await r.dispose();
      return { results, after: after.vin };
    },
    { corpus, good: b64(png) },
  );
  for (const r of out.results) {
    expect(r.errName, `${r.name}: ${r.message}`).toBe('PlateLensError');
    expect(r.status, `${r.name}: ${r.message}`).toBeGreaterThanOrEqual(400);
    expect(r.status, `${r.name}: ${r.message}`).toBeLessThan(500);
  }
  expect(out.after).toBe(VIN);
});

test('DOM sources are read: canvas, <img>, ImageBitmap, ImageData; use after dispose is a typed error', async ({ page }) => {
  await page.goto('/');
  await expect(page.locator('#status')).toHaveText('ready');
  const png = b64(new Uint8Array(renderVinLabel(VIN, { width: 640, height: 360 })));
  const out = await page.evaluate(async (png) => {
    const r = await window.platelens.createRecognizer({ backend: 'wasm', tasks: ['vin'], modelBaseUrl: '/' });
    const img = new Image();
    img.src = `data:image/png;base64,${png}`;
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = img.naturalWidth;
    canvas.height = img.naturalHeight;
    const ctx = canvas.getContext('2d')!;
    ctx.drawImage(img, 0, 0);
    const reads = [];
    for (const input of [canvas, img, await createImageBitmap(img), ctx.getImageData(0, 0, canvas.width, canvas.height)]) {
      reads.push((await r.readVin(input)).vin);
    }
    await r.dispose();
    await r.dispose(); // twice is fine
    const after = await r.readVin(canvas).then(
      () => null,
      (e) => ({ name: e.name, code: e.code }),
    );
    return { reads, after };
  }, png);
  expect(out.reads).toEqual([VIN, VIN, VIN, VIN]);
  expect(out.after).toEqual({ name: 'PlateLensError', code: 'DISPOSED' });
});
