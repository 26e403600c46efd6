/**
 * The TypeScript side feeds the project-trained readers exactly as their recipes do:
 * rendered crops (written by the recipes' release step, with what PyTorch read) must
 * read the same through the shipped ONNX files and the TS preprocessing + CTC decode.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { warpQuad, type RawImage } from '../../src/image/raw-image.ts';
import { plateModels, readPlates } from '../../src/plate/recognize-plate.ts';
import { detectorSpec, readerSpec } from '../../src/plate/plate-spec.ts';
import type { Engine } from '../../src/runtime/engine.ts';
import { findModel, ManifestSchema } from '../../src/runtime/manifest.ts';
import { createNodeEngine } from '../../src/runtime/ort-node.ts';
import { lineReaderFrom } from '../../src/text/line-reader-spec.ts';
import { recognizeLines } from '../../src/text/recognize-text.ts';

const MODELS = join(import.meta.dirname, '../../../../models');
const FIXTURES = join(import.meta.dirname, '../fixtures');
const manifest = ManifestSchema.parse(JSON.parse(readFileSync(join(MODELS, 'manifest.json'), 'utf8')));

async function load(path: string): Promise<RawImage> {
  const { data, info } = await sharp(path).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.byteLength) };
}

describe('project-trained readers: TS pipeline reads what the recipe read', () => {
  let engine: Engine;
  beforeAll(async () => {
    const models = ['vin-reader', 'plate-reader'].map((name) => ({
      name,
      bytes: new Uint8Array(readFileSync(join(MODELS, findModel(manifest, name)!.file))),
    }));
    engine = await createNodeEngine(models, 1);
  });
  afterAll(() => engine?.dispose());

  it('VIN reader: one rendered line per surface (printed, document, windshield, stamped, dot-peened, inverse)', async () => {
    const expected: { file: string; text: string }[] = JSON.parse(readFileSync(join(FIXTURES, 'vin-reader/expected.json'), 'utf8'));
    expect(expected.length).toBeGreaterThanOrEqual(5);
    const reader = lineReaderFrom(findModel(manifest, 'vin-reader')!);
    for (const { file, text } of expected) {
      const img = await load(join(FIXTURES, 'vin-reader', file));
      const whole = [{ x: 0, y: 0 }, { x: img.width, y: 0 }, { x: img.width, y: img.height }, { x: 0, y: img.height }];
      const [line] = await recognizeLines(engine, img, [whole], reader);
      expect(line.text.split(' ').filter(Boolean).join(' '), file).toBe(text);
      expect(Math.min(...line.chars.map((c) => c.prob)), file).toBeGreaterThan(0.3);
    }
  });

  it('plate reader: US, EU, two-line, BR old and Mercosul crops', async () => {
    const expected: Record<string, { text: string }> = JSON.parse(readFileSync(join(FIXTURES, 'plate-reader/expected.json'), 'utf8'));
    const m = plateModels(detectorSpec(findModel(manifest, 'plate-detector')!), readerSpec(findModel(manifest, 'plate-reader')!));
    const files = Object.keys(expected);
    const crops = await Promise.all(files.map(async (f) => stretch(await load(join(FIXTURES, 'plate-reader', f)), m.reader.input)));
    const reads = await readPlates(engine, m, crops);
    files.forEach((f, i) => expect(reads[i].chars.map((c) => c.char).join(''), f).toBe(expected[f].text));
  });
});

/** The recipe stretches the crop to the reader's size (bilinear), as plateCrop's warpQuad does. */
function stretch(img: RawImage, r: { width: number; height: number }): RawImage {
  return warpQuad(img, [{ x: 0, y: 0 }, { x: img.width, y: 0 }, { x: img.width, y: img.height }, { x: 0, y: img.height }], r.width, r.height);
}
