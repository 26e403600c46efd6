/**
 * The VIN pipeline on the project's own generated scenes (door stickers with distractor
 * lines and barcodes, windshield plates, stamped/dot-peened metal, documents, stickers
 * turned 90°), real models in Node.
 *
 * Also asserts what makes it fast: most scenes are answered by the small VIN line reader
 * alone, without PP-OCR's general recogniser (≈ 20× its cost per line).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeDecoders } from '../../src/image/decode-node.ts';
import { modelsFor, RecognizerCore } from '../../src/recognizer-core.ts';
import { countingEngine } from '../fixtures/counting-engine.ts';
import { ManifestSchema } from '../../src/runtime/manifest.ts';
import { createNodeEngine } from '../../src/runtime/ort-node.ts';
import { vinSceneSuite } from '../gen/vin-scenes.ts';

const N = 50;
const MODELS = join(import.meta.dirname, '../../../../models');


describe('VIN OCR on generated scenes', () => {
  let core: RecognizerCore;
  const calls = new Map<string, number>();
  beforeAll(async () => {
    const manifest = ManifestSchema.parse(JSON.parse(readFileSync(join(MODELS, 'manifest.json'), 'utf8')));
    const models = modelsFor(manifest, ['vin']).map((m) => ({ name: m.name, bytes: new Uint8Array(readFileSync(join(MODELS, m.file))) }));
    core = new RecognizerCore(countingEngine(await createNodeEngine(models, 2), calls), manifest, ['vin']);
  });
  afterAll(() => core?.dispose());

  it(`reads the exact VIN, with its box, on ≥ 95 % of ${N} scenes, most without the general recogniser`, async () => {
    const scenes = vinSceneSuite(N, 1, { format: 'jpeg' });
    expect(scenes.filter((s) => s.kind === 'rotated-sticker').length).toBeGreaterThanOrEqual(5);
    const decoders = await nodeDecoders();
    let exact = 0;
    let fastOnly = 0;
    const misses: string[] = [];
    for (const s of scenes) {
      calls.clear();
      const img = await decoders.decodeBytes(s.bytes);
      const res = await core.readVin(img).catch((e) => ({ vin: `error ${e.status}`, box: null }));
      if (!calls.get('text-rec')) fastOnly++;
      const boxOk =
        res.box != null &&
        Math.max(res.box.xmin, s.box.xmin) < Math.min(res.box.xmax, s.box.xmax) &&
        Math.max(res.box.ymin, s.box.ymin) < Math.min(res.box.ymax, s.box.ymax);
      if (res.vin === s.vin && boxOk) exact++;
      else misses.push(`${s.kind}#${s.seed} ${s.vin} → ${res.vin}${boxOk ? '' : ' (box off)'}`);
    }
    console.log(`VIN scenes: ${exact}/${N} exact, ${fastOnly}/${N} without text-rec${misses.length ? '\n  ' + misses.join('\n  ') : ''}`);
    expect(exact / N, misses.join('; ')).toBeGreaterThanOrEqual(0.95);
    expect(fastOnly / N).toBeGreaterThanOrEqual(0.7);
  }, 900_000);
});
