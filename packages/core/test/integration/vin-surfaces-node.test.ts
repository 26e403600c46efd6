/**
 * The VIN pipeline on the hard surfaces and cases of issue 12, real models in Node, on the
 * project's generated scenes (seeds 300–399: used by no other test, not by the benchmark):
 * stamped and dot-peened metal, barcode-only stickers (Code 39 with the import marker,
 * DataMatrix, QR), the orientation of vertical VINs, a distractor that passes the check
 * digit by chance, and bounded work on photos without a VIN.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeDecoders } from '../../src/image/decode-node.ts';
import { iou } from '../../src/plate/nms.ts';
import { modelsFor, RecognizerCore } from '../../src/recognizer-core.ts';
import { countingEngine } from '../fixtures/counting-engine.ts';
import { ManifestSchema } from '../../src/runtime/manifest.ts';
import { createNodeEngine } from '../../src/runtime/ort-node.ts';
import type { VinResponse } from '../../src/schemas.ts';
import { passesRules } from '../../src/vin/regions.ts';
import { readVinBarcodes } from '../../src/vin/barcode.ts';
import { generateVinBarcodeScene } from '../gen/vin-barcode-scenes.ts';
import { generateVinScene, type VinScene } from '../gen/vin-scenes.ts';

const MODELS = join(import.meta.dirname, '../../../../models');

describe('VIN surfaces (issue 12)', () => {
  let core: RecognizerCore;
  const calls = new Map<string, number>();
  const decoders = nodeDecoders();
  beforeAll(async () => {
    const manifest = ManifestSchema.parse(JSON.parse(readFileSync(join(MODELS, 'manifest.json'), 'utf8')));
    const models = modelsFor(manifest, ['vin']).map((m) => ({ name: m.name, bytes: new Uint8Array(readFileSync(join(MODELS, m.file))) }));
    const engine = await createNodeEngine(models, 2);
    core = new RecognizerCore(countingEngine(engine, calls), manifest, ['vin']);
  });
  afterAll(() => core?.dispose());

  async function read(s: VinScene): Promise<VinResponse | null> {
    calls.clear();
    return core.readVin(await (await decoders).decodeBytes(s.bytes)).catch(() => null);
  }

  /** Exact reads of `scenes`, each answer and candidate checked against its rules. */
  async function exactOf(scenes: VinScene[]): Promise<{ exact: number; misses: string[] }> {
    let exact = 0;
    const misses: string[] = [];
    for (const s of scenes) {
      const r = await read(s);
      for (const c of r?.candidates ?? []) expect(passesRules(c.vin), `${s.surface}#${s.seed} candidate ${c.vin}`).toBe(true);
      if (r?.vin === s.vin && iou(r.box, s.box) >= 0.5) exact++;
      else misses.push(`${s.surface}#${s.seed} ${s.vin} → ${r?.vin ?? '404'}`);
    }
    return { exact, misses };
  }

  it('reads stamped metal, its box on the glyphs', async () => {
    const { exact, misses } = await exactOf(Array.from({ length: 6 }, (_, i) => generateVinScene(300 + i, { kind: 'stamped-metal', marking: 'stamped' })));
    expect(exact, misses.join('; ')).toBeGreaterThanOrEqual(5);
  }, 300_000);

  it('reads some dot-peened metal, and never answers a reading that breaks its rules', async () => {
    const { exact, misses } = await exactOf(Array.from({ length: 6 }, (_, i) => generateVinScene(310 + i, { kind: 'stamped-metal', marking: 'dot-peened' })));
    // the weak spot (see the benchmark's dot-peened row): at least one, and no rule-breaking answer
    expect(exact, misses.join('; ')).toBeGreaterThanOrEqual(1);
  }, 300_000);

  it('reads barcode-only stickers (Code 39 with the import marker, DataMatrix, QR) with the barcode’s box', async () => {
    const scenes = [
      await generateVinBarcodeScene(320, { symbology: 'Code39', importMarker: true, textless: true }),
      await generateVinBarcodeScene(321, { symbology: 'DataMatrix', textless: true }),
      await generateVinBarcodeScene(322, { symbology: 'QRCode', textless: true }),
    ];
    for (const s of scenes) {
      const r = await read(s);
      expect(r?.vin, `${s.symbology} ${s.encoded}`).toBe(s.vin);
      expect(iou(r!.box, s.barcodeBox!), s.symbology).toBeGreaterThanOrEqual(0.5);
    }
  }, 300_000);

  it('reads Code 39 labels turned or sheared by perspective without an angle from the text (bars located, warped upright, sharpened)', async () => {
    // seeds 350, 352, 353: labels zxing's row scan misses on the picture as it is
    const dec = await decoders;
    for (const seed of [350, 352, 353]) {
      const s = await generateVinBarcodeScene(seed, { symbology: 'Code39', textless: true });
      const found = await readVinBarcodes(await dec.decodeBytes(s.bytes), undefined, 0);
      expect(found[0]?.vin, `#${seed}`).toBe(s.vin);
      expect(iou(found[0].box, s.barcodeBox!), `#${seed}`).toBeGreaterThanOrEqual(0.5);
    }
  }, 300_000);

  it('reports the orientation: vertical for a sticker turned 90°, horizontal otherwise', async () => {
    // (seed 330 read a wrong VIN, answered vertical; it is a 404 since faint guesses are not answered)
    const t = generateVinScene(332, { kind: 'rotated-sticker' });
    const turned = await read(t);
    expect(turned?.vin).toBe(t.vin);
    expect(turned?.orientation).toBe('vertical');
    expect(turned!.box.ymax - turned!.box.ymin).toBeGreaterThan(turned!.box.xmax - turned!.box.xmin);
    const u = generateVinScene(331, { kind: 'door-sticker' });
    const upright = await read(u);
    expect(upright?.vin).toBe(u.vin);
    expect(upright?.orientation).toBe('horizontal');
    expect(upright!.candidates[0].orientation).toBe('horizontal');
  }, 300_000);

  it('answers the VIN when a distractor line passes the check digit by chance', async () => {
    for (const seed of [340, 341]) {
      const s = generateVinScene(seed, { kind: 'door-sticker', luckyDistractor: true });
      const r = await read(s);
      expect(r?.vin, `#${seed}`).toBe(s.vin);
      // it may stay a candidate (it passes every rule), below the VIN
      const d = r!.candidates.findIndex((c) => c.vin.startsWith('1FT'));
      if (d >= 0) expect(r!.candidates[d].confidence, `#${seed}`).toBeLessThanOrEqual(r!.confidence);
    }
  }, 300_000);

  it('answers 404 on photos without a VIN after bounded work (one detector pass, ≤ 4 lines for PP-OCR)', async () => {
    for (const [i, kind] of (['door-sticker', 'windshield-plate', 'document', 'stamped-metal'] as const).entries()) {
      const s = generateVinScene(350 + i, { kind, withoutVin: true });
      const r = await read(s);
      expect(r, `${kind}: ${r?.vin}`).toBeNull();
      expect(calls.get('text-det') ?? 0, kind).toBeLessThanOrEqual(2);
      expect(calls.get('text-rec') ?? 0, kind).toBeLessThanOrEqual(2);
    }
  }, 300_000);

  it('answers 404, not a check digit repaired from a faint guess, on a turned sticker without a VIN', async () => {
    // (a calibration seed: its lines read "54443LD282U423910" once a 0.005 alternative fixed the check digit)
    expect((await read(generateVinScene(9053, { kind: 'rotated-sticker', withoutVin: true })))?.vin).toBeUndefined();
  }, 300_000);
});
