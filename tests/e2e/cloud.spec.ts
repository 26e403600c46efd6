/**
 * @platelens/cloud in real Chromium: the real local recognizer (WASM, in its worker)
 * wrapped with withCloudFallback and a CarsXE client pointed at the fake CarsXE server
 * (a real HTTP server on another origin, called from a cross-origin-isolated page).
 */
import { expect, test, type Page } from '@playwright/test';
import { renderText, renderVinLabel } from '../../packages/core/test/fixtures/render.ts';
import { CANNED_VIN, startFakeCarsXE, type FakeCarsXE } from '../fake-carsxe/server.ts';

const LOCAL_VIN = '5YJSA1E17HF000006';
const KEY = 'e2e-key-1234';
const VIN_PNG = renderVinLabel(LOCAL_VIN, { width: 640, height: 360 }).toString('base64');
const NO_VIN_PNG = renderText(['HELLO WORLD 2024', 'NOTHING TO SEE HERE'], 640, 360).toString('base64');

type Outcome =
  | { ok: true; vin: string; confidence: number; source?: string }
  | { ok: false; name: string; status: number; code: string; message: string };

declare global {
  interface Window {
    /** Set up once per page by setUp(): the local recognizer and helpers for the tests. */
    __cloudTest: {
      rec: import('@platelens/core').Recognizer;
      input(kind: 'vin-bytes' | 'vin-canvas' | 'novin-bytes'): Promise<import('@platelens/core').ImageInput>;
    };
  }
}

async function setUp(page: Page) {
  await page.goto('/');
  await expect(page.locator('#status')).toHaveText('ready');
  await page.evaluate(
    async ({ vinPng, noVinPng }) => {
      const bytes = (b64: string) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const rec = await window.platelens.createRecognizer({ backend: 'wasm', tasks: ['vin'], modelBaseUrl: '/' });
      window.__cloudTest = {
        rec,
        async input(kind) {
          if (kind === 'vin-bytes') return bytes(vinPng);
          if (kind === 'novin-bytes') return bytes(noVinPng);
          const bitmap = await createImageBitmap(new Blob([bytes(vinPng)], { type: 'image/png' }));
          const canvas = document.createElement('canvas');
          canvas.width = bitmap.width;
          canvas.height = bitmap.height;
          canvas.getContext('2d')!.drawImage(bitmap, 0, 0);
          return canvas;
        },
      };
    },
    { vinPng: VIN_PNG, noVinPng: NO_VIN_PNG },
  );
}

/** readVin through withCloudFallback (or the bare client) in the page. */
function readInPage(
  page: Page,
  a: {
    baseUrl: string;
    apiKey?: string;
    minConfidence: number;
    input: 'vin-bytes' | 'vin-canvas' | 'novin-bytes';
    direct?: boolean;
  },
): Promise<Outcome & { cloudErrors: { status: number; code: string }[] }> {
  return page.evaluate(async (a) => {
    const { createCarsXEClient, withCloudFallback } = window.platelensCloud;
    const t = window.__cloudTest;
    const cloudErrors: { status: number; code: string }[] = [];
    const client = createCarsXEClient({ apiKey: a.apiKey, baseUrl: a.baseUrl, retryDelayMs: 50, timeoutMs: 20_000 });
    const r = withCloudFallback(t.rec, client, {
      minConfidence: a.minConfidence,
      onCloudError: (e) => cloudErrors.push({ status: e.status, code: e.code }),
    });
    try {
      const input = await t.input(a.input);
      const res = a.direct ? await client.readVin(input) : await r.readVin(input);
      return { ok: true as const, vin: res.vin, confidence: res.confidence, source: res.source, cloudErrors };
    } catch (e) {
      const err = e as { name: string; status: number; code: string; message: string };
      return { ok: false as const, name: err.name, status: err.status, code: err.code, message: err.message, cloudErrors };
    }
  }, a);
}

test.describe('cloud fallback in the browser', () => {
  test.describe.configure({ mode: 'serial' });
  let fake: FakeCarsXE;
  let page: Page;

  test.beforeAll(async ({ browser }) => {
    fake = await startFakeCarsXE({ keys: [KEY] });
    page = await browser.newPage({ baseURL: 'http://127.0.0.1:5174' });
    await setUp(page);
    // the fake is another origin and the page is cross-origin isolated (COEP require-corp)
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    expect(new URL(fake.url).origin).not.toBe(new URL(page.url()).origin);
  });
  test.afterAll(async () => {
    await page?.evaluate(() => window.__cloudTest?.rec.dispose()).catch(() => undefined);
    await page?.close();
    await fake?.close();
  });
  test.beforeEach(() => {
    fake.clear();
    fake.setScenario('ok');
  });

  test('above minConfidence → no cloud request, source local', async () => {
    const out = await readInPage(page, { baseUrl: fake.url, apiKey: KEY, minConfidence: 0.5, input: 'vin-bytes' });
    expect(out).toMatchObject({ ok: true, vin: LOCAL_VIN, source: 'local' });
    expect(fake.requests).toHaveLength(0);
    expect(fake.preflights).toHaveLength(0);
  });

  test('below minConfidence → exactly one cloud call; pixels go as JPEG base64; the better cloud answer wins', async () => {
    fake.setScenario('ok', { vin: { confidence: 1 } });
    const out = await readInPage(page, { baseUrl: fake.url, apiKey: KEY, minConfidence: 0.99999, input: 'vin-canvas' });
    expect(out).toMatchObject({ ok: true, vin: CANNED_VIN, confidence: 1, source: 'cloud' });
    expect(fake.requests).toHaveLength(1);
    const r = fake.requests[0];
    expect([r.method, r.path, r.key]).toEqual(['POST', '/v1/vinocr', KEY]);
    const imageUrl = (r.body as { image_url: string }).image_url;
    const jpeg = Buffer.from(imageUrl, 'base64');
    expect([jpeg[0], jpeg[1], jpeg[2]]).toEqual([0xff, 0xd8, 0xff]);
  });

  test('encoded bytes are sent as-is (base64 of the PNG)', async () => {
    fake.setScenario('ok', { vin: { confidence: 1 } });
    const out = await readInPage(page, { baseUrl: fake.url, apiKey: KEY, minConfidence: 0.99999, input: 'vin-bytes' });
    expect(out).toMatchObject({ ok: true, source: 'cloud' });
    expect(fake.requests.map((r) => r.body)).toEqual([{ image_url: VIN_PNG }]);
  });

  test('no key → no request, even with no local result', async () => {
    const low = await readInPage(page, { baseUrl: fake.url, minConfidence: 0.99999, input: 'vin-bytes' });
    expect(low).toMatchObject({ ok: true, vin: LOCAL_VIN, source: 'local' });
    const none = await readInPage(page, { baseUrl: fake.url, minConfidence: 0.99999, input: 'novin-bytes' });
    expect(none).toMatchObject({ ok: false, name: 'PlateLensError', status: 404, code: 'NO_VIN' });
    expect(fake.requests).toHaveLength(0);
    expect(fake.preflights).toHaveLength(0);
  });

  test("'flaky' 429 then 200 → retried (2 requests), cloud answer", async () => {
    fake.setScenario('flaky');
    const out = await readInPage(page, { baseUrl: fake.url, apiKey: KEY, minConfidence: 0.5, input: 'novin-bytes' });
    expect(out).toMatchObject({ ok: true, vin: CANNED_VIN, source: 'cloud' });
    expect(fake.requests.map((r) => r.status)).toEqual([429, 200]);
  });

  test("'malformed' → typed PlateLensError 502 (client, and fallback with no local result); local kept otherwise", async () => {
    fake.setScenario('malformed');
    const direct = await readInPage(page, { baseUrl: fake.url, apiKey: KEY, minConfidence: 0.5, input: 'vin-bytes', direct: true });
    expect(direct).toMatchObject({ ok: false, name: 'PlateLensError', status: 502, code: 'CLOUD_ERROR' });
    const viaFallback = await readInPage(page, { baseUrl: fake.url, apiKey: KEY, minConfidence: 0.5, input: 'novin-bytes' });
    expect(viaFallback).toMatchObject({ ok: false, name: 'PlateLensError', status: 502, code: 'CLOUD_ERROR' });
    const lowLocal = await readInPage(page, { baseUrl: fake.url, apiKey: KEY, minConfidence: 0.99999, input: 'vin-bytes' });
    expect(lowLocal).toMatchObject({ ok: true, vin: LOCAL_VIN, source: 'local', cloudErrors: [{ status: 502, code: 'CLOUD_ERROR' }] });
    expect(fake.requests).toHaveLength(3);
    for (const o of [direct, viaFallback]) if (!o.ok) expect(o.message).not.toContain(KEY);
  });

  test('typed errors for 401 / 429 / timeout, without the key in any message', async () => {
    const outs = [];
    for (const s of ['inactive', 'limit'] as const) {
      fake.setScenario(s);
      outs.push(await readInPage(page, { baseUrl: fake.url, apiKey: KEY, minConfidence: 0.5, input: 'vin-bytes', direct: true }));
    }
    expect(outs.map((o) => !o.ok && [o.status, o.code])).toEqual([
      [401, 'UNAUTHORIZED'],
      [429, 'RATE_LIMITED'],
    ]);
    fake.setScenario('slow', { delayMs: 5000 });
    const slow = await page.evaluate(async (baseUrl) => {
      const c = window.platelensCloud.createCarsXEClient({ apiKey: 'e2e-key-1234', baseUrl, timeoutMs: 500 });
      return c.readVin('https://example.com/x.jpg').then(
        () => null,
        (e) => ({ name: e.name, status: e.status, code: e.code, message: e.message as string }),
      );
    }, fake.url);
    expect(slow).toMatchObject({ name: 'PlateLensError', status: 504, code: 'CLOUD_ERROR' });
    for (const o of [...outs, slow]) expect(JSON.stringify(o)).not.toContain(KEY);
  });
});

test('local-only mode makes zero requests to any host but the app’s own origin', async ({ page, baseURL }) => {
  const origin = new URL(baseURL!).origin;
  const seen: string[] = [];
  // context-level: page, worker and service-worker requests alike
  page.context().on('request', (r) => seen.push(r.url()));
  await setUp(page);
  const outs = await page.evaluate(async () => {
    const { createCarsXEClient, withCloudFallback } = window.platelensCloud;
    // no key: local-only, even with a threshold nothing local can meet
    const r = withCloudFallback(window.__cloudTest.rec, createCarsXEClient(), { minConfidence: 1 });
    const a = await r.readVin(await window.__cloudTest.input('vin-canvas'));
    const b = await r.readVin(await window.__cloudTest.input('novin-bytes')).catch((e) => e.code);
    await r.dispose();
    return [a.vin, a.source, b];
  });
  expect(outs).toEqual([LOCAL_VIN, 'local', 'NO_VIN']);
  // the recorder saw the page's and the worker's requests (model files are fetched in the worker)
  expect(seen).toContain(`${origin}/manifest.json`);
  expect(seen.some((u) => u.endsWith('.onnx'))).toBe(true);
  const foreign = seen.filter((u) => !u.startsWith(`${origin}/`) && !u.startsWith(`blob:${origin}/`) && !u.startsWith('data:'));
  expect(foreign).toEqual([]);
});
