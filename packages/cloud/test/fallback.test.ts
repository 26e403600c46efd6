/**
 * withCloudFallback with the REAL local VIN recognizer (onnxruntime-node) and the fake
 * CarsXE server. Plate models are still being trained, so the plate side of the
 * (task-generic) policy is exercised with a stand-in local recognizer.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createRecognizer } from '@platelens/core/node';
import { PlateLensError, VinResponseSchema, type PlateResponse, type Recognizer, type VinResponse } from '@platelens/core';
import { createCarsXEClient, withCloudFallback } from '@platelens/cloud';
import { renderText, renderVinLabel } from '../../core/test/fixtures/render.ts';
import { CANNED_PLATE, CANNED_VIN, startFakeCarsXE, type FakeCarsXE } from '../../../tests/fake-carsxe/server.ts';

const KEY = 'fallback-test-key';
const LOCAL_VIN = '5YJSA1E17HF000006';

let fake: FakeCarsXE;
let rec: Recognizer;
let vinPng: Uint8Array;
let noVinPng: Uint8Array;
let plain: VinResponse; // what the local recognizer alone answers for vinPng

beforeAll(async () => {
  fake = await startFakeCarsXE();
  rec = await createRecognizer({ tasks: ['vin'] });
  vinPng = new Uint8Array(renderVinLabel(LOCAL_VIN, { width: 640, height: 360 }));
  noVinPng = new Uint8Array(renderText(['HELLO WORLD 2024', 'NOTHING TO SEE HERE'], 640, 360));
  plain = await rec.readVin(vinPng);
});
afterAll(async () => {
  await rec?.dispose();
  await fake?.close();
});
beforeEach(() => {
  fake.clear();
  fake.setScenario('ok');
});

const cloud = (apiKey = KEY) => createCarsXEClient({ apiKey, baseUrl: fake.url, retryDelayMs: 20 });
const keyless = () => createCarsXEClient({ baseUrl: fake.url });
const b64 = (u: Uint8Array) => Buffer.from(u).toString('base64');

describe('withCloudFallback (VIN, real local recognizer)', () => {
  it('precondition: the local answer is right and confident', () => {
    expect(plain.vin).toBe(LOCAL_VIN);
    expect(plain.confidence).toBeGreaterThan(0.9);
    expect(plain.confidence).toBeLessThan(0.99999);
    expect(plain.source).toBeUndefined();
  });

  it('local confidence above minConfidence → zero cloud requests, source local', async () => {
    const r = withCloudFallback(rec, cloud(), { minConfidence: 0.9 });
    expect(r.backend).toBe(rec.backend);
    const res = await r.readVin(vinPng);
    expect(res).toEqual({ ...plain, source: 'local' });
    expect(VinResponseSchema.strict().parse(res)).toEqual(res);
    expect(fake.requests).toHaveLength(0);
  });

  it('below minConfidence → exactly one cloud request with the image; a more confident cloud answer wins, source cloud', async () => {
    fake.setScenario('ok', { vin: { confidence: 1 } });
    const res = await withCloudFallback(rec, cloud(), { minConfidence: 0.99999 }).readVin(vinPng);
    expect(res.vin).toBe(CANNED_VIN);
    expect(res.confidence).toBe(1);
    expect(res.source).toBe('cloud');
    expect(VinResponseSchema.strict().parse(res)).toEqual(res);
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0].path).toBe('/v1/vinocr');
    expect(fake.requests[0].body).toEqual({ image_url: b64(vinPng) });
  });

  it('below minConfidence but the cloud is less confident → one request, local answer kept', async () => {
    fake.setScenario('ok', { vin: { confidence: 0.5 } });
    const res = await withCloudFallback(rec, cloud(), { minConfidence: 0.99999 }).readVin(vinPng);
    expect(res).toEqual({ ...plain, source: 'local' });
    expect(fake.requests).toHaveLength(1);
  });

  it('no key → nothing is sent, even below the threshold or with no local result', async () => {
    const r = withCloudFallback(rec, keyless(), { minConfidence: 0.99999 });
    expect((await r.readVin(vinPng)).source).toBe('local');
    const e = await r.readVin(noVinPng).catch((e: unknown) => e);
    expect(e).toMatchObject({ name: 'PlateLensError', status: 404, code: 'NO_VIN' });
    expect(fake.requests).toHaveLength(0);
  });

  it('local 404 (text but no VIN) → one cloud request, cloud answer with source cloud', async () => {
    const res = await withCloudFallback(rec, cloud(), { minConfidence: 0.5 }).readVin(noVinPng);
    expect(res).toMatchObject({ vin: CANNED_VIN, confidence: 0.98, source: 'cloud' });
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0].body).toEqual({ image_url: b64(noVinPng) });
  });

  it('local 404 and the cloud fails too → the cloud error is thrown', async () => {
    fake.setScenario('notfound');
    const e = await withCloudFallback(rec, cloud(), { minConfidence: 0.5 }).readVin(noVinPng).catch((e: unknown) => e);
    expect(e).toBeInstanceOf(PlateLensError);
    expect(e).toMatchObject({ status: 404, code: 'NO_VIN' });
    expect(fake.requests).toHaveLength(1);
  });

  it('invalid image (local 400 from decoding) is never sent to the cloud', async () => {
    const r = withCloudFallback(rec, cloud(), { minConfidence: 0.99999 });
    const e = await r.readVin(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3])).catch((e: unknown) => e);
    expect(e).toMatchObject({ name: 'PlateLensError', status: 400, code: 'INVALID_IMAGE' });
    expect(fake.requests).toHaveLength(0);
  });

  it('cloud failure with a low-confidence local answer → local answer, failure reported to onCloudError', async () => {
    fake.setScenario('error');
    const errors: PlateLensError[] = [];
    const r = withCloudFallback(rec, createCarsXEClient({ apiKey: KEY, baseUrl: fake.url, retries: 0 }), {
      minConfidence: 0.99999,
      onCloudError: (e) => errors.push(e),
    });
    expect(await r.readVin(vinPng)).toEqual({ ...plain, source: 'local' });
    expect(errors.map((e) => [e.status, e.code])).toEqual([[500, 'CLOUD_ERROR']]);
    expect(fake.requests).toHaveLength(1);
  });

  it('minConfidence must be 0..1', () => {
    for (const minConfidence of [-0.1, 1.5, Number.NaN, undefined as unknown as number]) {
      expect(() => withCloudFallback(rec, cloud(), { minConfidence })).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONS' }));
    }
  });
});

/** A stand-in local plate recognizer (the plate models are not trained yet). */
function stubPlates(answer: PlateResponse | PlateLensError): Recognizer & { calls: number } {
  const stub = {
    calls: 0,
    backend: 'cpu' as const,
    async readVin(): Promise<VinResponse> {
      throw new PlateLensError(404, 'NO_VIN', 'No valid VIN candidates found');
    },
    async recognizePlate() {
      stub.calls++;
      if (answer instanceof PlateLensError) throw answer;
      return answer;
    },
    async dispose() {},
  };
  return stub;
}

const localPlate = (score: number): PlateResponse => ({
  success: true,
  results: [{ box: { xmin: 1, ymin: 2, xmax: 3, ymax: 4 }, plate: 'loc4l', score }],
});

describe('withCloudFallback (plates, same policy)', () => {
  it('score ≥ minConfidence → local, no request', async () => {
    const res = await withCloudFallback(stubPlates(localPlate(0.95)), cloud(), { minConfidence: 0.9 }).recognizePlate(new Uint8Array([1, 2, 3]));
    expect(res).toEqual({ ...localPlate(0.95), source: 'local' });
    expect(fake.requests).toHaveLength(0);
  });

  it('low score → one request to /platerecognition, cloud (0.97) wins', async () => {
    const res = await withCloudFallback(stubPlates(localPlate(0.4)), cloud(), { minConfidence: 0.9 }).recognizePlate(new Uint8Array([1, 2, 3]));
    expect(res.results[0].plate).toBe(CANNED_PLATE);
    expect(res.source).toBe('cloud');
    expect(fake.requests.map((r) => r.path)).toEqual(['/platerecognition']);
  });

  it('local NO_PLATE / NO_TEXT / empty results → cloud; INVALID_IMAGE → not sent', async () => {
    for (const local of [
      new PlateLensError(404, 'NO_PLATE', 'No plates detected in image'),
      new PlateLensError(400, 'NO_TEXT', 'No text detected in image'),
      { success: true, results: [] } as PlateResponse,
    ]) {
      const res = await withCloudFallback(stubPlates(local), cloud(), { minConfidence: 0 }).recognizePlate('https://example.com/a.jpg');
      expect(res.source).toBe('cloud');
    }
    expect(fake.requests).toHaveLength(3);
    const bad = withCloudFallback(stubPlates(new PlateLensError(400, 'INVALID_IMAGE', 'Invalid image data')), cloud(), { minConfidence: 0 });
    await expect(bad.recognizePlate('https://example.com/a.jpg')).rejects.toMatchObject({ code: 'INVALID_IMAGE' });
    expect(fake.requests).toHaveLength(3);
  });
});
