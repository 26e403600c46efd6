/** The CarsXE client against a real (fake) CarsXE HTTP server. */
import { createServer } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PlateLensError, PlateResponseSchema, VinResponseSchema } from '@platelens/core';
import { createCarsXEClient, type CarsXEClientOptions } from '@platelens/cloud';
import {
  CANNED_PLATE,
  CANNED_VIN,
  startFakeCarsXE,
  type FakeCarsXE,
  type Scenario,
} from '../../../tests/fake-carsxe/server.ts';

// characters that change under URL encoding, so both forms are checked in messages
const KEY = 'sk_test/Kx9+q=zZ7';
const ENCODED = [KEY, encodeURIComponent(KEY), new URLSearchParams({ k: KEY }).toString().slice(2)];
const IMG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4, 5]);

let fake: FakeCarsXE;
/** Every error any test saw: checked for the key at the end. */
const seen: unknown[] = [];

beforeAll(async () => {
  fake = await startFakeCarsXE({ keys: [KEY] });
});
afterAll(async () => {
  await fake?.close();
});
beforeEach(() => {
  fake.clear();
  fake.setScenario('ok');
});

const client = (o: CarsXEClientOptions = {}) =>
  createCarsXEClient({ apiKey: KEY, baseUrl: fake.url, retryDelayMs: 20, ...o });

async function failure(p: Promise<unknown>): Promise<PlateLensError> {
  const e = await p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );
  seen.push(e);
  expect(e).toBeInstanceOf(PlateLensError);
  return e as PlateLensError;
}

describe('request shape', () => {
  it('VIN: POST /v1/vinocr?key=KEY with {"image_url": base64 of the bytes} as JSON', async () => {
    const res = await client().readVin(IMG);
    expect(VinResponseSchema.parse(res)).toEqual(res);
    expect(res.vin).toBe(CANNED_VIN);
    expect(res.confidence).toBe(0.98);
    expect(fake.requests).toHaveLength(1);
    const r = fake.requests[0];
    expect(r.method).toBe('POST');
    expect(r.path).toBe('/v1/vinocr');
    expect(r.key).toBe(KEY);
    expect(Object.keys(r.query)).toEqual(['key']);
    expect(r.headers['content-type']).toBe('application/json');
    expect(r.body).toEqual({ image_url: Buffer.from(IMG).toString('base64') });
  });

  it('plate: POST /platerecognition?key=KEY; a URL string is passed through as image_url', async () => {
    const res = await client().recognizePlate('https://example.com/car.jpg');
    expect(PlateResponseSchema.parse(res)).toEqual(res);
    expect(res.results[0].plate).toBe(CANNED_PLATE);
    expect(res.results[0].score).toBe(0.97);
    const r = fake.requests[0];
    expect([r.method, r.path, r.key]).toEqual(['POST', '/platerecognition', KEY]);
    expect(r.body).toEqual({ image_url: 'https://example.com/car.jpg' });
  });

  it('ArrayBuffer and Blob are sent as base64 of their bytes; base64 strings pass through', async () => {
    const c = client();
    await c.readVin(IMG.slice().buffer);
    await c.recognizePlate(new Blob([IMG]));
    await c.readVin('iVBORw0KGgo=');
    const b64 = Buffer.from(IMG).toString('base64');
    expect(fake.requests.map((r) => r.body)).toEqual([{ image_url: b64 }, { image_url: b64 }, { image_url: 'iVBORw0KGgo=' }]);
  });

  it("in a page, JPEG base64 ('/9j/…') is sent as base64, never fetched as a page-relative path", async () => {
    const jpegB64 = '/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJCQgKDA==';
    const realFetch = globalThis.fetch;
    const fetched: string[] = [];
    const g = globalThis as { location?: unknown };
    g.location = new URL('http://page.example/app/');
    globalThis.fetch = (input, init) => {
      fetched.push(String(input));
      return realFetch(input, init);
    };
    try {
      await client().readVin(jpegB64);
      await client().readVin(`data:image/jpeg;base64,${jpegB64}`);
      // a relative path is not an image: refused locally, nothing sent anywhere
      const e = await failure(client().readVin('/images/car.jpg'));
      expect([e.status, e.code]).toEqual([400, 'INVALID_IMAGE']);
    } finally {
      globalThis.fetch = realFetch;
      delete g.location;
    }
    expect(fetched.every((u) => u.startsWith(`${fake.url}/v1/vinocr?`))).toBe(true);
    expect(fake.requests.map((r) => r.body)).toEqual([{ image_url: jpegB64 }, { image_url: `data:image/jpeg;base64,${jpegB64}` }]);
    // a URL object elsewhere is passed through as its href
    fake.clear();
    await client().readVin(new URL('https://example.com/cars/a.jpg'));
    expect(fake.requests.map((r) => r.body)).toEqual([{ image_url: 'https://example.com/cars/a.jpg' }]);
  });

  it('default baseUrl is https://api.carsxe.com; a baseUrl with a path is kept (proxy)', async () => {
    const urls: string[] = [];
    const capture: typeof fetch = async (input) => {
      urls.push(String(input));
      return new Response(JSON.stringify({ success: true, results: [] }), { status: 200 });
    };
    await createCarsXEClient({ apiKey: 'k1', fetch: capture }).recognizePlate(IMG);
    await createCarsXEClient({ apiKey: 'k1', fetch: capture, baseUrl: 'https://proxy.example/carsxe/' }).readVin(IMG).catch(() => 0);
    expect(urls).toEqual(['https://api.carsxe.com/platerecognition?key=k1', 'https://proxy.example/carsxe/v1/vinocr?key=k1']);
  });

  it('without a key nothing is sent: hasKey false, typed 401, zero requests', async () => {
    for (const apiKey of [undefined, '', '   ']) {
      const c = createCarsXEClient({ apiKey, baseUrl: fake.url });
      expect(c.hasKey).toBe(false);
      const e = await failure(c.readVin(IMG));
      expect([e.status, e.code]).toEqual([401, 'UNAUTHORIZED']);
      await failure(c.recognizePlate('https://example.com/car.jpg'));
    }
    expect(client().hasKey).toBe(true);
    expect(fake.requests).toHaveLength(0);
    expect(fake.preflights).toHaveLength(0);
  });

  it('bad options are a typed 400 INVALID_OPTIONS', () => {
    for (const o of [{ baseUrl: 'ftp://x' }, { baseUrl: 'not a url' }, { timeoutMs: 0 }, { retries: -1 }, { retries: 1.5 }]) {
      let err: unknown;
      try {
        createCarsXEClient({ apiKey: KEY, ...o });
      } catch (e) {
        err = e;
      }
      seen.push(err);
      expect(err, JSON.stringify(o)).toMatchObject({ name: 'PlateLensError', status: 400, code: 'INVALID_OPTIONS' });
    }
  });
});

describe('CarsXE errors → typed errors (server message kept)', () => {
  const cases: [Scenario, 'readVin' | 'recognizePlate', number, string, string][] = [
    ['inactive', 'readVin', 401, 'UNAUTHORIZED', 'API key is inactive'],
    ['limit', 'readVin', 429, 'RATE_LIMITED', 'API usage limit exceeded'],
    ['error', 'readVin', 500, 'CLOUD_ERROR', 'Could not get information at this time'],
    ['notfound', 'readVin', 404, 'NO_VIN', 'No valid VIN candidates found'],
    ['notfound', 'recognizePlate', 404, 'NO_PLATE', 'No plates detected in image'],
    ['inactive', 'recognizePlate', 401, 'UNAUTHORIZED', 'API key is inactive'],
    ['limit', 'recognizePlate', 429, 'RATE_LIMITED', 'API usage limit exceeded'],
    ['error', 'recognizePlate', 500, 'CLOUD_ERROR', 'Could not get information at this time'],
  ];
  for (const [scenario, method, status, code, message] of cases) {
    it(`${scenario} (${method}) → ${status} ${code}`, async () => {
      fake.setScenario(scenario);
      const e = await failure(client({ retries: 0 })[method](IMG));
      expect({ status: e.status, code: e.code, message: e.message }).toEqual({ status, code, message });
      expect(fake.requests).toHaveLength(1);
    });
  }

  it('400 missing / invalid image', async () => {
    // a string that is neither an absolute URL nor base64, or an empty input, never leaves the device
    const e = await failure(client().readVin('this is not an image!'));
    expect([e.status, e.code]).toEqual([400, 'INVALID_IMAGE']);
    const m = await failure(client().recognizePlate(new Uint8Array(0)));
    expect([m.status, m.code]).toEqual([400, 'MISSING_IMAGE']);
    expect(fake.requests).toHaveLength(0);
    // the server's own 400 keeps its message
    const stub: typeof fetch = async () => new Response(JSON.stringify({ success: false, message: 'Invalid image data' }), { status: 400 });
    const s = await failure(createCarsXEClient({ apiKey: KEY, fetch: stub }).readVin(IMG));
    expect([s.status, s.code, s.message]).toEqual([400, 'INVALID_IMAGE', 'Invalid image data']);
  });

  it('404 key not found → UNAUTHORIZED (not "no VIN")', async () => {
    const e = await failure(createCarsXEClient({ apiKey: 'someone-elses-key', baseUrl: fake.url }).readVin(IMG));
    expect([e.status, e.code, e.message]).toEqual([404, 'UNAUTHORIZED', 'API key not found']);
    expect(e.message).not.toContain('someone-elses-key');
  });

  it('an error in a 200 body ({success:false, message}) is an error too', async () => {
    const stub: typeof fetch = async () =>
      new Response(JSON.stringify({ success: false, message: 'No plates detected in image' }), { status: 200 });
    const e = await failure(createCarsXEClient({ apiKey: KEY, fetch: stub }).recognizePlate(IMG));
    expect([e.status, e.code]).toEqual([404, 'NO_PLATE']);
  });

  it('a 200 {success:false} maps to the error it carries (status or code, message or error field), never "HTTP 502"', async () => {
    const cases: [object, number, string, RegExp][] = [
      [{ success: false, status: 404 }, 404, 'NO_VIN', /^No valid VIN candidates found$/],
      [{ success: false, code: '429' }, 429, 'RATE_LIMITED', /usage limit/],
      [{ success: false, error: 'API key is invalid' }, 401, 'UNAUTHORIZED', /^API key is invalid$/],
      [{ success: false, error: { message: 'Missing image data' } }, 400, 'MISSING_IMAGE', /^Missing image data$/],
      [{ success: false }, 502, 'CLOUD_ERROR', /answered success: false without a status or message/],
    ];
    for (const [body, status, code, re] of cases) {
      const stub: typeof fetch = async () => new Response(JSON.stringify(body), { status: 200 });
      const e = await failure(createCarsXEClient({ apiKey: KEY, fetch: stub }).readVin(IMG));
      expect([e.status, e.code], JSON.stringify(body)).toEqual([status, code]);
      expect(e.message, JSON.stringify(body)).toMatch(re);
      expect(e.message).not.toMatch(/HTTP 502/);
    }
  });

  it('reads at most 64 KiB of an error body and 1 MiB of an answer (a 100 MB 500 body is not downloaded, even with retries)', async () => {
    let pulled = 0;
    const huge = (status: number) => () =>
      new Response(
        new ReadableStream<Uint8Array>({
          pull(c) {
            if (pulled > 100e6) return c.close();
            pulled += 16384;
            c.enqueue(new Uint8Array(16384).fill(0x41));
          },
        }),
        { status },
      );
    const e = await failure(createCarsXEClient({ apiKey: KEY, fetch: async () => huge(500)(), retries: 2, retryDelayMs: 1 }).readVin(IMG));
    expect([e.status, e.code]).toEqual([500, 'CLOUD_ERROR']);
    expect(pulled).toBeLessThanOrEqual(3 * ((64 << 10) + 2 * 16384)); // + the chunk read past the cap and one prefetched
    pulled = 0;
    const big = await failure(createCarsXEClient({ apiKey: KEY, fetch: async () => huge(200)() }).readVin(IMG));
    expect([big.status, big.code, big.message]).toEqual([502, 'CLOUD_ERROR', expect.stringMatching(/reply larger than 1048576 bytes/)]);
    expect(pulled).toBeLessThan((1 << 20) + 3 * 16384);
  });
});

describe('retries', () => {
  it('never retries 400 / 401 / 404', async () => {
    const c = client({ retries: 3 });
    for (const s of ['inactive', 'notfound'] as const) {
      fake.clear();
      fake.setScenario(s);
      await failure(c.readVin(IMG));
      expect(fake.requests, s).toHaveLength(1);
    }
    let calls = 0;
    const stub: typeof fetch = async () => {
      calls++;
      return new Response(JSON.stringify({ success: false, message: 'Invalid image data' }), { status: 400 });
    };
    await failure(createCarsXEClient({ apiKey: KEY, fetch: stub, retries: 3 }).readVin(IMG));
    expect(calls).toBe(1);
  });

  it('429 then 200 → retried once, the 200 is returned', async () => {
    fake.setScenario('flaky');
    const res = await client().readVin(IMG);
    expect(res.vin).toBe(CANNED_VIN);
    expect(fake.requests.map((r) => r.status)).toEqual([429, 200]);
  });

  it('retries are bounded: 429 every time → 1 + retries requests, then RATE_LIMITED', async () => {
    fake.setScenario('limit');
    const e = await failure(client({ retries: 2 }).recognizePlate(IMG));
    expect(e.code).toBe('RATE_LIMITED');
    expect(fake.requests).toHaveLength(3);
  });

  it('5xx is retried', async () => {
    fake.setScenario('error', { errorStatus: 503 });
    const e = await failure(client({ retries: 1 }).readVin(IMG));
    expect([e.status, e.code]).toEqual([503, 'CLOUD_ERROR']);
    expect(fake.requests).toHaveLength(2);
  });

  it('Retry-After is honoured; one longer than maxRetryDelayMs ends the retries', async () => {
    fake.setScenario('flaky', { retryAfter: '1' });
    const t0 = Date.now();
    await client().readVin(IMG);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(950);
    expect(fake.requests).toHaveLength(2);

    fake.clear();
    fake.setScenario('flaky', { retryAfter: '3600' });
    const e = await failure(client({ maxRetryDelayMs: 5000 }).readVin(IMG));
    expect(e.code).toBe('RATE_LIMITED');
    expect(fake.requests).toHaveLength(1);
  });

  it('network errors are retried, then a typed 503', async () => {
    const dead = createServer();
    await new Promise<void>((r) => dead.listen(0, '127.0.0.1', r));
    const port = (dead.address() as { port: number }).port;
    await new Promise<void>((r) => dead.close(() => r()));
    let calls = 0;
    const counting: typeof fetch = (input, init) => {
      calls++;
      return fetch(input, init);
    };
    const e = await failure(createCarsXEClient({ apiKey: KEY, baseUrl: `http://127.0.0.1:${port}`, retries: 2, retryDelayMs: 10, fetch: counting }).readVin(IMG));
    expect([e.status, e.code]).toEqual([503, 'CLOUD_ERROR']);
    expect(calls).toBe(3);
  });
});

describe('timeouts, malformed replies, redirects', () => {
  it('no answer within timeoutMs → typed 504 CLOUD_ERROR, promptly', async () => {
    fake.setScenario('slow', { delayMs: 3000 });
    const t0 = Date.now();
    const e = await failure(client({ timeoutMs: 300 }).readVin(IMG));
    expect([e.status, e.code]).toEqual([504, 'CLOUD_ERROR']);
    expect(e.message).toMatch(/did not answer within 300 ms/);
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(fake.requests).toHaveLength(1);
  });

  it('a slow but in-time answer is fine', async () => {
    fake.setScenario('slow', { delayMs: 100 });
    expect((await client({ timeoutMs: 5000 }).recognizePlate(IMG)).results[0].plate).toBe(CANNED_PLATE);
  });

  it('a reply that fails the schema → typed 502 CLOUD_ERROR, not passed on, not retried', async () => {
    fake.setScenario('malformed');
    const v = await failure(client().readVin(IMG));
    const p = await failure(client().recognizePlate(IMG));
    for (const e of [v, p]) {
      expect([e.status, e.code]).toEqual([502, 'CLOUD_ERROR']);
      expect(e.message).toMatch(/malformed reply/);
    }
    expect(v.message).toMatch(/VIN OCR/);
    expect(p.message).toMatch(/plate recognition/);
    expect(fake.requests).toHaveLength(2);
  });

  it('non-JSON 200 → typed 502', async () => {
    const stub: typeof fetch = async () => new Response('<html>oops</html>', { status: 200 });
    const e = await failure(createCarsXEClient({ apiKey: KEY, fetch: stub }).readVin(IMG));
    expect([e.status, e.code]).toEqual([502, 'CLOUD_ERROR']);
  });

  it('redirects are not followed: the key never reaches another host', async () => {
    const elsewhere: string[] = [];
    const other = createServer((req, res) => {
      elsewhere.push(req.url ?? '');
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ success: true }));
    });
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
    const otherUrl = `http://127.0.0.1:${(other.address() as { port: number }).port}`;
    const redirector = createServer((req, res) => res.writeHead(307, { location: `${otherUrl}${req.url}` }).end());
    await new Promise<void>((r) => redirector.listen(0, '127.0.0.1', r));
    try {
      const baseUrl = `http://127.0.0.1:${(redirector.address() as { port: number }).port}`;
      const e = await failure(createCarsXEClient({ apiKey: KEY, baseUrl }).readVin(IMG));
      expect([e.status, e.code]).toEqual([502, 'CLOUD_ERROR']);
      expect(elsewhere).toEqual([]);
    } finally {
      other.close();
      redirector.close();
    }
  });
});

describe('the API key', () => {
  it('is scrubbed even when a server echoes it back', async () => {
    const stub: typeof fetch = async (input) =>
      new Response(JSON.stringify({ success: false, message: `Key ${KEY} is not valid for ${String(input)}` }), {
        status: 401,
      });
    const e = await failure(createCarsXEClient({ apiKey: KEY, fetch: stub }).readVin(IMG));
    expect(e.code).toBe('UNAUTHORIZED');
    expect(e.message).toContain('[redacted]');
  });

  it('is scrubbed before a long message is cut: a 600-character message ending in the key keeps no 6-character run of it', async () => {
    for (const form of ENCODED) {
      const message = 'x'.repeat(600 - form.length) + form;
      expect(message).toHaveLength(600);
      for (const status of [200, 401, 500]) {
        const stub: typeof fetch = async () => new Response(JSON.stringify({ success: false, message }), { status });
        const e = await failure(createCarsXEClient({ apiKey: KEY, fetch: stub, retries: 0 }).readVin(IMG));
        expect(e.message.length).toBeLessThanOrEqual(500);
        for (const text of [e.message, e.stack ?? '', JSON.stringify(e)]) {
          for (let i = 0; i + 6 <= KEY.length; i++) expect(text, `${status} ${form}`).not.toContain(KEY.slice(i, i + 6));
        }
      }
    }
  });

  it('never appears in any error message, stack or JSON seen above', () => {
    expect(seen.length).toBeGreaterThan(25);
    for (const e of seen) {
      const err = e as PlateLensError;
      for (const text of [err.message, String(err), err.stack ?? '', JSON.stringify(err)]) {
        for (const k of ENCODED) expect(text).not.toContain(k);
      }
    }
  });
});
