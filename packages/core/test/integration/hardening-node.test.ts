/** Node hardening with the real models: lifecycle, URL fetching policy, model loading failures. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRecognizer, PlateLensError, type Recognizer } from '../../src/node.ts';
import { renderVinLabel } from '../fixtures/render.ts';

const VIN = '1HGCM82633A004352';
let png: Uint8Array;

beforeAll(() => {
  png = new Uint8Array(renderVinLabel(VIN, { width: 800, height: 450 }));
});

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
});
