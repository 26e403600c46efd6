/** Node hardening with the real models: lifecycle, URL fetching policy, model loading failures. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPublicAddress } from '../../src/image/url-fetch-node.ts';
import { createRecognizer, PlateLensError, type Recognizer } from '../../src/node.ts';
import { renderVinLabel } from '../fixtures/render.ts';

const VIN = '1HGCM82633A004352';
let png: Uint8Array;

beforeAll(() => {
  png = new Uint8Array(renderVinLabel(VIN, { width: 800, height: 450 }));
});

/** The rejection of p, which must be a PlateLensError. */
async function failure(p: Promise<unknown>): Promise<PlateLensError> {
  const e = await p.then(
    () => new Error('expected a rejection'),
    (e: unknown) => e,
  );
  expect(e).toBeInstanceOf(PlateLensError);
  return e as PlateLensError;
}

const settle = <T>(p: Promise<T>) =>
  p.then(
    (v) => ({ ok: true as const, v }),
    (e: unknown) => ({ ok: false as const, e }),
  );

describe('lifecycle', () => {
  it('dispose() during calls: each call gets its answer or a typed 500 DISPOSED, within 2 s; later calls DISPOSED', async () => {
    const r = await createRecognizer({ tasks: ['vin'] });
    const calls = Array.from({ length: 6 }, () => settle(r.readVin(png)));
    await new Promise((res) => setTimeout(res, 50));
    const t0 = performance.now();
    await r.dispose();
    const out = await Promise.race([Promise.all(calls), new Promise<null>((res) => setTimeout(() => res(null), 5000))]);
    const ms = performance.now() - t0;
    expect(out, 'every call settled').not.toBeNull();
    expect(ms).toBeLessThan(2000);
    const failed = out!.filter((o) => !o.ok);
    expect(failed.length).toBeGreaterThan(0);
    for (const o of out!) {
      if (o.ok) expect(o.v.vin).toBe(VIN);
      else expect(o.e).toMatchObject({ name: 'PlateLensError', status: 500, code: 'DISPOSED' });
    }
    for (const o of failed) expect(o.e).toBeInstanceOf(PlateLensError);
    await expect(r.readVin(png)).rejects.toMatchObject({ code: 'DISPOSED' });
    await r.dispose(); // twice is fine
  });

  it('untyped inputs become typed 400s: detached buffers, {data: null}, a plain array as pixels; then a VIN is read', async () => {
    const r = await createRecognizer({ tasks: ['vin'] });
    try {
      const buf = new ArrayBuffer(64);
      const view = new Uint8Array(new ArrayBuffer(64));
      structuredClone([buf, view.buffer], { transfer: [buf, view.buffer] });
      const bad: unknown[] = [buf, view, { data: null, width: 2, height: 2 }, { data: [0, 0, 0, 0], width: 1, height: 1 }];
      for (const input of bad) {
        const e = await failure(r.readVin(input as never));
        expect([e.status, e.code], e.message).toEqual([400, 'INVALID_IMAGE']);
      }
      expect((await r.readVin(png)).vin).toBe(VIN);
    } finally {
      await r.dispose();
    }
  });
});

/** A local HTTP server recording its requests. */
async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void) {
  const hits: string[] = [];
  const server: Server = createServer((req, res) => {
    hits.push(req.url ?? '');
    handler(req, res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return { server, port, origin: `http://127.0.0.1:${port}`, hits };
}

describe('URL inputs in Node (SSRF)', () => {
  let a: Awaited<ReturnType<typeof serve>>;
  let internal: Awaited<ReturnType<typeof serve>>;
  let rec: Recognizer;
  const MAX = 1 << 20;

  beforeAll(async () => {
    internal = await serve((_req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('SECRET-INTERNAL-ANSWER'));
    const bomb = gzipSync(Buffer.alloc(64 << 20), { level: 9 });
    a = await serve((req, res) => {
      const to = (loc: string) => res.writeHead(302, { location: loc }).end();
      switch (req.url) {
        case '/vin.png':
          return res.writeHead(200, { 'content-type': 'image/png' }).end(png);
        case '/to-internal':
          return to(`${internal.origin}/admin`);
        case '/to-hex':
          return to(`http://0x7f000001:${internal.port}/admin`);
        case '/to-decimal':
          return to(`http://2130706433:${internal.port}/admin`);
        case '/to-localhost':
          return to(`http://localhost:${internal.port}/admin`);
        case '/to-mapped':
          return to(`http://[::ffff:127.0.0.1]:${internal.port}/admin`);
        case '/to-metadata':
          return to('http://169.254.169.254/latest/meta-data/');
        case '/to-file':
          return to('file:///etc/passwd');
        case '/loop':
          return to('/loop');
        case '/declared-big':
          res.writeHead(200, { 'content-type': 'image/png', 'content-length': String(64 << 20) });
          return res.write(png.subarray(0, 100));
        case '/endless': {
          // no content-length: 64 KiB chunks until the client goes away
          res.writeHead(200, { 'content-type': 'image/png' });
          const chunk = Buffer.alloc(64 << 10, 7);
          const pump = () => {
            while (res.write(chunk)) if (res.destroyed) return;
          };
          res.on('drain', pump);
          return pump();
        }
        case '/gzip-bomb':
          return res.writeHead(200, { 'content-type': 'image/png', 'content-encoding': 'gzip' }).end(bomb);
        case '/stall':
          return; // never answers
        default:
          return res.writeHead(404).end('internal detail that must not be echoed');
      }
    });
    rec = await createRecognizer({ tasks: ['vin'], urlAllowlist: [a.origin], allowUrlFetch: true, maxUrlBytes: MAX, urlTimeoutMs: 1500 });
  });

  afterAll(async () => {
    await rec?.dispose();
    a?.server.closeAllConnections();
    a?.server.close();
    internal?.server.close();
  });

  it('are refused by default: typed 400 URL_NOT_ALLOWED, nothing requested', async () => {
    const r = await createRecognizer({ tasks: ['vin'] });
    try {
      for (const u of [`${a.origin}/vin.png`, 'https://example.com/car.jpg', new URL(`${a.origin}/vin.png`)]) {
        await expect(r.readVin(u)).rejects.toMatchObject({ name: 'PlateLensError', status: 400, code: 'URL_NOT_ALLOWED' });
      }
    } finally {
      await r.dispose();
    }
    expect(a.hits).toEqual([]);
  });

  it('an allowlisted origin is read', async () => {
    expect((await rec.readVin(`${a.origin}/vin.png`)).vin).toBe(VIN);
  });

  it('loopback in every spelling and redirects to private addresses are refused, the internal host is never contacted', async () => {
    const p = internal.port;
    const direct = [
      `${internal.origin}/admin`,
      `http://0x7f000001:${p}/admin`,
      `http://2130706433:${p}/admin`,
      `http://0177.0.0.1:${p}/admin`,
      `http://127.1:${p}/admin`,
      `http://[::1]:${p}/admin`,
      `http://[::ffff:127.0.0.1]:${p}/admin`,
      `http://localhost:${p}/admin`,
      'http://169.254.169.254/latest/meta-data/',
      'http://10.0.0.1/x.jpg',
      'http://[fd00::1]/x.jpg',
    ];
    const redirects = ['/to-internal', '/to-hex', '/to-decimal', '/to-localhost', '/to-mapped', '/to-metadata', '/to-file'].map((x) => a.origin + x);
    for (const u of [...direct, ...redirects]) {
      const e = await rec.readVin(u).then(
        () => null,
        (e: PlateLensError) => e,
      );
      expect(e, u).toBeInstanceOf(PlateLensError);
      expect([e!.status, e!.code], `${u}: ${e!.message}`).toEqual([400, 'URL_NOT_ALLOWED']);
      expect(e!.message).not.toMatch(/SECRET/);
    }
    expect(internal.hits).toEqual([]);
  });

  it('redirect loops, 404s and stalls end typed; the body of an error answer is not echoed', async () => {
    await expect(rec.readVin(`${a.origin}/loop`)).rejects.toMatchObject({ status: 400, message: /redirected more than 3 times/ });
    const nf = await failure(rec.readVin(`${a.origin}/nope`));
    expect([nf.status, nf.code]).toEqual([400, 'INVALID_IMAGE']);
    expect(nf.message).not.toMatch(/internal detail/);
    const t0 = performance.now();
    await expect(rec.readVin(`${a.origin}/stall`)).rejects.toMatchObject({ status: 400, message: /within 1500 ms/ });
    expect(performance.now() - t0).toBeLessThan(3000);
  });

  it('bodies over maxUrlBytes are cut: declared, endless and a gzip bomb (counted after decoding) → 413 IMAGE_TOO_LARGE', async () => {
    for (const path of ['/declared-big', '/endless', '/gzip-bomb']) {
      const t0 = performance.now();
      const rss0 = process.memoryUsage().rss;
      const e = await failure(rec.readVin(a.origin + path));
      expect([e.status, e.code], `${path}: ${e.message}`).toEqual([413, 'IMAGE_TOO_LARGE']);
      expect(performance.now() - t0, path).toBeLessThan(3000);
      expect(process.memoryUsage().rss - rss0, path).toBeLessThan(64 << 20);
    }
    expect((await rec.readVin(`${a.origin}/vin.png`)).vin).toBe(VIN);
  });

  it('isPublicAddress: private, loopback, link-local, mapped and NAT64 forms are not public', () => {
    for (const ip of ['127.0.0.1', '10.1.2.3', '172.16.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '224.0.0.1',
      '::1', '::', 'fe80::1', 'fd12::1', '::ffff:127.0.0.1', '::ffff:7f00:1', '64:ff9b::7f00:1', '2002:7f00:1::1', 'not-an-ip']) {
      expect(isPublicAddress(ip), ip).toBe(false);
    }
    for (const ip of ['8.8.8.8', '1.1.1.1', '2606:4700::1111', '::ffff:8.8.8.8']) expect(isPublicAddress(ip), ip).toBe(true);
  });
});

describe('model loading failures are typed and bounded', () => {
  const MODELS = join(import.meta.dirname, '../../../../models');
  const manifestText = readFileSync(join(MODELS, 'manifest.json'), 'utf8');

  it('a directory without manifest.json, or without a model file → 503 MODEL_FETCH_FAILED naming the path (ENOENT)', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'platelens-nomodels-'));
    const e = await failure(createRecognizer({ tasks: ['vin'], modelBaseUrl: empty }));
    expect([e.status, e.code]).toEqual([503, 'MODEL_FETCH_FAILED']);
    expect(e.message).toContain(join(empty, 'manifest.json'));
    expect(e.message).toContain('ENOENT');
    writeFileSync(join(empty, 'manifest.json'), manifestText);
    const m = await failure(createRecognizer({ tasks: ['vin'], modelBaseUrl: empty }));
    expect([m.code, m.message]).toEqual(['MODEL_FETCH_FAILED', expect.stringMatching(/text-det\.onnx: file not found \(ENOENT\)/)]);
  });

  it('an HTML page, other JSON or another version as manifest → 500 MODEL_MANIFEST_INVALID saying what came back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'platelens-badmanifest-'));
    const cases: [string, RegExp][] = [
      ['<!doctype html><html><body>app</body></html>', /is an HTML page, not JSON/],
      ['{"version": 2, "models": []}', /has version 2; this PlateLens reads version 1/],
      ['{"models": []}', /has version none/],
      ['{"version": 1, "models": [{"name": "x"}]}', /not a PlateLens manifest \(models\.0\.file/],
      ['garbage', /not JSON \(it starts "garbage"\)/],
    ];
    for (const [text, re] of cases) {
      writeFileSync(join(dir, 'manifest.json'), text);
      const e = await failure(createRecognizer({ tasks: ['vin'], modelBaseUrl: dir }));
      expect([e.status, e.code], text).toEqual([500, 'MODEL_MANIFEST_INVALID']);
      expect(e.message, text).toMatch(re);
      expect(e.message).toContain(join(dir, 'manifest.json'));
    }
  });

  it('a stalled model server → typed 503 within the file timeout, and within the total timeout; naming URL and bytes received', async () => {
    const srv = await serve((req, res) => {
      if (req.url === '/manifest.json') return res.writeHead(200, { 'content-type': 'application/json' }).end(manifestText);
      if (req.url === '/index.html/manifest.json') return res.writeHead(200, { 'content-type': 'text/html' }).end('<!DOCTYPE html><p>hi');
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.write(Buffer.alloc(1000)); // then nothing more: a stalled download
    });
    try {
      let t0 = performance.now();
      const e = await failure(createRecognizer({ tasks: ['vin'], modelBaseUrl: `${srv.origin}/`, modelFileTimeoutMs: 500 }));
      expect(performance.now() - t0).toBeLessThan(2500);
      expect([e.status, e.code]).toEqual([503, 'MODEL_FETCH_FAILED']);
      expect(e.message).toMatch(new RegExp(`${srv.origin}/text-det\\.onnx: no complete answer within its 500 ms file timeout \\(got 1000 bytes\\)`));
      t0 = performance.now();
      const t = await failure(createRecognizer({ tasks: ['vin'], modelBaseUrl: `${srv.origin}/`, modelTimeoutMs: 700 }));
      expect(performance.now() - t0).toBeLessThan(2500);
      expect(t.message).toMatch(/within the 700 ms model loading timeout/);
      const h = await failure(createRecognizer({ tasks: ['vin'], modelBaseUrl: `${srv.origin}/index.html/` }));
      expect([h.code, h.message]).toEqual(['MODEL_MANIFEST_INVALID', `Model manifest ${srv.origin}/index.html/manifest.json is an HTML page, not JSON (is modelBaseUrl right? servers often answer unknown paths with index.html)`]);
    } finally {
      srv.server.closeAllConnections();
      srv.server.close();
    }
  });
});

describe('decode budget', () => {
  it('an image over maxDecodePixels is decoded downscaled and its boxes come back in source pixels (EXIF-rotated too)', async () => {
    const sharp = (await import('sharp')).default;
    const full = await createRecognizer({ tasks: ['vin'] });
    const small = await createRecognizer({ tasks: ['vin'], maxDecodePixels: 1_000_000 });
    try {
      const ref = await full.readVin(png); // 800×450
      const big = await sharp(png).resize(4000, 2250).png().toBuffer(); // 9 MP, 5× the reference
      const res = await small.readVin(big);
      expect(res.vin).toBe(VIN);
      for (const k of ['xmin', 'ymin', 'xmax', 'ymax'] as const) expect(Math.abs(res.box[k] - ref.box[k] * 5), k).toBeLessThan(4000 * 0.03);
      // stored turned 90° with EXIF orientation 6: boxes are in the upright image's pixels
      const turned = await sharp(big).rotate(-90).jpeg({ quality: 90 }).withMetadata({ orientation: 6 }).toBuffer();
      const rt = await small.readVin(turned);
      expect(rt.vin).toBe(VIN);
      for (const k of ['xmin', 'ymin', 'xmax', 'ymax'] as const) expect(Math.abs(rt.box[k] - ref.box[k] * 5), k).toBeLessThan(4000 * 0.03);
      expect(rt.box.xmax).toBeLessThanOrEqual(4000);
      expect(rt.box.ymax).toBeLessThanOrEqual(2250);
    } finally {
      await full.dispose();
      await small.dispose();
    }
  });
});
