/** Real models in Node: input forms, CarsXE shape, typed errors, recovery after bad input. */
import { createServer, type Server } from 'node:http';
import sharp from 'sharp';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRecognizer, PlateLensError, VinResponseSchema, type Recognizer } from '../../src/node.ts';
import { bytesToBase64 } from '../../src/image/input.ts';
import { badInputs, type BadInput } from '../fixtures/bad-inputs.ts';
import { renderVinLabel, renderText } from '../fixtures/render.ts';

const VIN = '1HGCM82633A004352';
const MODELS = join(import.meta.dirname, '../../../../models');
let rec: Recognizer;
let png: Uint8Array;
let jpeg: Uint8Array;
let server: Server;
let base: string;

beforeAll(async () => {
  rec = await createRecognizer({ tasks: ['vin'] });
  png = new Uint8Array(renderVinLabel(VIN, { width: 800, height: 450 }));
  jpeg = new Uint8Array(await sharp(png).jpeg({ quality: 85 }).toBuffer());
  server = createServer((req, res) => {
    if (req.url === '/vin.png') res.writeHead(200, { 'content-type': 'image/png' }).end(png);
    else res.writeHead(404).end('nope');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});

afterAll(async () => {
  await rec?.dispose();
  server?.close();
});

function asInput(b: BadInput) {
  if (b.kind === 'bytes') return b.bytes!;
  if (b.kind === 'string') return b.text!;
  const p = b.pixels!;
  return { data: new Uint8ClampedArray(p.length), width: p.width, height: p.height };
}

describe('readVin in Node with the real models', () => {
  it('reads a VIN and answers exactly in the CarsXE shape', async () => {
    const res = await rec.readVin(png);
    expect(VinResponseSchema.strict().parse(res)).toEqual(res);
    expect(res.vin).toBe(VIN);
    expect(res.candidates[0].vin).toBe(VIN);
    // the box covers the VIN characters, not the "VIN" label, in original pixels
    expect(res.box.xmin).toBeGreaterThan(800 * 0.1 + 20);
    expect(res.box.ymax).toBeGreaterThan(450 * 0.45 - 30);
    expect(res.box.ymin).toBeLessThan(450 * 0.45);
  });

  it('accepts every input form: bytes, ArrayBuffer, Blob, base64, data URL, RGBA pixels', async () => {
    const { data, info } = await sharp(png).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    const inputs = [
      jpeg,
      jpeg.slice().buffer,
      bytesToBase64(png),
      new Blob([png as Uint8Array<ArrayBuffer>]),
      `data:image/png;base64,${bytesToBase64(png)}`,
      { data: new Uint8ClampedArray(data), width: info.width, height: info.height },
    ];
    for (const input of inputs) expect((await rec.readVin(input)).vin).toBe(VIN);
  });

  it('reads an http URL when the app allows that origin (URL inputs are off by default in Node)', async () => {
    await expect(rec.readVin(`${base}/vin.png`)).rejects.toMatchObject({ status: 400, code: 'URL_NOT_ALLOWED' });
    const r = await createRecognizer({ tasks: ['vin'], urlAllowlist: [base] });
    try {
      expect((await r.readVin(`${base}/vin.png`)).vin).toBe(VIN);
      expect((await r.readVin(new URL('/vin.png', base))).vin).toBe(VIN);
    } finally {
      await r.dispose();
    }
  });

  it('answers 400 "No text detected" for a blank image and 404 for text without a VIN', async () => {
    const blank = await sharp({ create: { width: 320, height: 200, channels: 3, background: '#777' } }).png().toBuffer();
    await expect(rec.readVin(blank)).rejects.toMatchObject({ status: 400, code: 'NO_TEXT' });
    const noVin = renderText(['GVWR 2150 KG', 'MFD BY ACME 05/19', 'TIRE 205/55R16 91V'], 640, 360);
    await expect(rec.readVin(noVin)).rejects.toMatchObject({ status: 404, message: 'No valid VIN candidates found' });
  });

  it('gives each bad input a typed 400-class error, then still reads a good image', async () => {
    const corpus = badInputs({ jpeg, png });
    expect(corpus.length).toBeGreaterThanOrEqual(15);
    for (const b of corpus) {
      const err = await rec.readVin(asInput(b)).then(
        () => null,
        (e) => e,
      );
      expect(err, b.name).toBeInstanceOf(PlateLensError);
      expect(err.status, `${b.name}: ${err.message}`).toBeGreaterThanOrEqual(400);
      expect(err.status, `${b.name}: ${err.message}`).toBeLessThan(500);
    }
    expect((await rec.readVin(png)).vin).toBe(VIN);
  });

  it('refuses a model whose bytes do not match the manifest sha256', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'platelens-models-'));
    const manifest = JSON.parse(readFileSync(join(MODELS, 'manifest.json'), 'utf8'));
    for (const m of manifest.models) copyFileSync(join(MODELS, m.file), join(dir, m.file));
    const det = manifest.models.find((m: { name: string }) => m.name === 'text-det');
    det.sha256 = '0'.repeat(64);
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
    await expect(createRecognizer({ tasks: ['vin'], modelBaseUrl: dir })).rejects.toMatchObject({ code: 'MODEL_INTEGRITY' });
  });

  it('rejects invalid options with a 400 naming the field', async () => {
    await expect(rec.readVin(png, { detectorSize: 100 })).rejects.toMatchObject({ status: 400, message: /detectorSize/ });
  });
});
