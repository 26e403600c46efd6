/**
 * URL inputs in the worker are bounded: a body over maxUrlBytes (declared, endless, or a
 * gzip bomb that the browser inflates) is cut with a typed 413, a stalled server ends
 * with a typed 400 at urlTimeoutMs, and the worker then reads a good URL.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { expect, test } from '@playwright/test';
import { renderVinLabel } from '../../packages/core/test/fixtures/render.ts';

const VIN = '5YJSA1E17HF000006';
let server: Server;
let origin: string;

test.beforeAll(async () => {
  const png = renderVinLabel(VIN, { width: 640, height: 360 });
  const manifest = readFileSync(fileURLToPath(new URL('../../models/manifest.json', import.meta.url)));
  const bomb = gzipSync(Buffer.alloc(64 << 20), { level: 9 });
  // another origin: CORS + CORP so the cross-origin-isolated worker may read it
  const cors = { 'access-control-allow-origin': '*', 'cross-origin-resource-policy': 'cross-origin' };
  server = createServer((req, res) => {
    if (req.url === '/vin.png') return res.writeHead(200, { ...cors, 'content-type': 'image/png' }).end(png);
    // loadable by an <img> (CORP) but not readable (no CORS): a canvas it is drawn on is tainted
    if (req.url === '/no-cors.png') return res.writeHead(200, { 'cross-origin-resource-policy': 'cross-origin', 'content-type': 'image/png' }).end(png);
    if (req.url === '/declared-big') {
      res.writeHead(200, { ...cors, 'content-type': 'image/png', 'content-length': String(1 << 30) });
      return res.write(png.subarray(0, 100));
    }
    if (req.url === '/endless') {
      res.writeHead(200, { ...cors, 'content-type': 'image/png' });
      const chunk = Buffer.alloc(256 << 10, 7);
      const pump = () => {
        while (!res.destroyed && res.write(chunk));
      };
      res.on('drain', pump);
      return pump();
    }
    if (req.url === '/gzip-bomb') return res.writeHead(200, { ...cors, 'content-type': 'image/png', 'content-encoding': 'gzip' }).end(bomb);
    if (req.url === '/stall') return;
    // a model server that sends the real manifest, then stalls inside the first model file
    if (req.url === '/models/manifest.json') return res.writeHead(200, { ...cors, 'content-type': 'application/json' }).end(manifest);
    if (req.url?.startsWith('/models/')) {
      res.writeHead(200, { ...cors, 'content-type': 'application/octet-stream' });
      return res.write(Buffer.alloc(4096));
    }
    if (req.url === '/html/manifest.json') return res.writeHead(200, { ...cors, 'content-type': 'text/html' }).end('<!doctype html><title>app</title>');
    res.writeHead(404, cors).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});

test.afterAll(() => {
  server?.closeAllConnections();
  server?.close();
});

test('URL bodies over maxUrlBytes and stalled servers end typed; the worker then reads a good URL', async ({ page }) => {
  await page.goto('/');
  await expect(page.locator('#status')).toHaveText('ready');
  const out = await page.evaluate(async (origin) => {
    const r = await window.platelens.createRecognizer({
      backend: 'wasm',
      tasks: ['vin'],
      modelBaseUrl: '/',
      maxUrlBytes: 8 << 20,
      urlTimeoutMs: 1500,
    });
    const res: Record<string, { status?: number; code?: string; ms: number }> = {};
    for (const path of ['/declared-big', '/endless', '/gzip-bomb', '/stall']) {
      const t0 = performance.now();
      const e = await r.readVin(origin + path).then(
        () => ({}),
        (e) => e,
      );
      res[path] = { status: e.status, code: e.code, ms: performance.now() - t0 };
    }
    const good = (await r.readVin(`${origin}/vin.png`)).vin;
    await r.dispose();
    return { res, good };
  }, origin);
  for (const path of ['/declared-big', '/endless', '/gzip-bomb']) {
    expect(out.res[path], path).toMatchObject({ status: 413, code: 'IMAGE_TOO_LARGE' });
    expect(out.res[path].ms, path).toBeLessThan(5000);
  }
  expect(out.res['/stall']).toMatchObject({ status: 400, code: 'INVALID_IMAGE' });
  expect(out.res['/stall'].ms).toBeLessThan(4000);
  expect(out.good).toBe(VIN);
});

test('inputs that cannot cross to the worker are typed errors: a tainted canvas, detached buffers, a function in the options', async ({ page }) => {
  await page.goto('/');
  await expect(page.locator('#status')).toHaveText('ready');
  const out = await page.evaluate(async (origin) => {
    const r = await window.platelens.createRecognizer({ backend: 'wasm', tasks: ['vin'], modelBaseUrl: '/' });
    const img = new Image();
    img.src = `${origin}/no-cors.png`;
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = img.naturalWidth;
    canvas.height = img.naturalHeight;
    canvas.getContext('2d')!.drawImage(img, 0, 0);
    const describe = (e: any) => `${e?.name} ${e?.status} ${e?.code}`;
    const tainted = await r.readVin(canvas).then(() => 'resolved', describe);
    const taintedImg = await r.readVin(img).then(() => 'resolved', describe);
    const fnOption = await r.readVin(canvas, { detectorSize: (() => 640) as never }).then(() => 'resolved', describe);
    // buffers already transferred elsewhere (detached)
    const buf = new ArrayBuffer(64);
    const view = new Uint8Array(new ArrayBuffer(64));
    structuredClone([buf, view.buffer], { transfer: [buf, view.buffer] });
    const detached = [await r.readVin(buf).then(() => 'resolved', describe), await r.readVin(view).then(() => 'resolved', describe)];
    // an unknown option holding a function is dropped by the parser, not posted
    const ok = await r.readVin(`${origin}/vin.png`, { extra: () => 1 } as never).then((v) => v.vin, describe);
    await r.dispose();
    return { tainted, taintedImg, fnOption, ok, detached };
  }, origin);
  expect(out.tainted).toBe('PlateLensError 400 INVALID_IMAGE');
  expect(out.taintedImg).toBe('PlateLensError 400 INVALID_IMAGE');
  expect(out.fnOption).toBe('PlateLensError 400 INVALID_OPTIONS');
  expect(out.ok).toBe(VIN);
  expect(out.detached).toEqual(['PlateLensError 400 INVALID_IMAGE', 'PlateLensError 400 INVALID_IMAGE']);
});

test('model loading in the worker: a stalled model file and an HTML manifest end typed, naming the URL', async ({ page }) => {
  await page.goto('/');
  await expect(page.locator('#status')).toHaveText('ready');
  const out = await page.evaluate(async (origin) => {
    const t0 = performance.now();
    const stalled = await window.platelens
      .createRecognizer({ backend: 'wasm', tasks: ['vin'], modelBaseUrl: `${origin}/models/`, modelFileTimeoutMs: 800 })
      .then(() => null, (e) => ({ code: e.code, status: e.status, message: e.message }));
    const ms = performance.now() - t0;
    const html = await window.platelens
      .createRecognizer({ backend: 'wasm', tasks: ['vin'], modelBaseUrl: `${origin}/html/` })
      .then(() => null, (e) => ({ code: e.code, status: e.status, message: e.message }));
    return { stalled, ms, html };
  }, origin);
  expect(out.stalled).toMatchObject({ code: 'MODEL_FETCH_FAILED', status: 503 });
  expect(out.stalled!.message).toContain(`${origin}/models/text-det.onnx: no complete answer within its 800 ms file timeout (got 4096 bytes)`);
  expect(out.ms).toBeLessThan(4000);
  expect(out.html).toMatchObject({ code: 'MODEL_MANIFEST_INVALID', status: 500 });
  expect(out.html!.message).toContain(`Model manifest ${origin}/html/manifest.json is an HTML page`);
});
