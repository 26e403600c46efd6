/**
 * Could a small, fast reader answer first and the fine-tuned reader read only the plates it is
 * unsure of? For every true box of plates-openlpr-val (clear rows) and every held-out crop
 * (plate-accuracy.ts sets), this reads the one-row crop with the fast reader (ONNX path in
 * argv[2], the plate reader's contract) and runs the shipped pipeline's reading, then prints,
 * for each acceptance rule "fast reading scores ≥ s and fits a format ≥ f", how many boxes the
 * fast reader would answer alone, how many of those it gets wrong where the shipped reader is
 * right, and the cascade's exact share against the shipped reader's.
 *   node --import tsx tools/tune/reader-cascade.ts models/training/plate_ocr/runs/export/student-fp16.onnx
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { nodeDecoders } from '../../packages/core/src/image/decode-node.ts';
import { formatWeight } from '../../packages/core/src/plate/formats.ts';
import { readingScore } from '../../packages/core/src/plate/candidates.ts';
import { boxIn, cropFootprint, oneRowCrop } from '../../packages/core/src/plate/plate-crop.ts';
import { detectorSpec, readerSpec } from '../../packages/core/src/plate/plate-spec.ts';
import { decidePlate, PLATE_READER, plateModels, readPlateBoxes, readPlates } from '../../packages/core/src/plate/recognize-plate.ts';
import { colourMarks } from '../../packages/core/src/plate/regions.ts';
import { asSource } from '../../packages/core/src/image/pixel-source.ts';
import type { RawImage } from '../../packages/core/src/image/raw-image.ts';
import type { Box } from '../../packages/core/src/schemas.ts';
import type { Engine } from '../../packages/core/src/runtime/engine.ts';
import { findModel, ManifestSchema } from '../../packages/core/src/runtime/manifest.ts';
import { createNodeEngine } from '../../packages/core/src/runtime/ort-node.ts';
import { ROOT } from '../bench/common.ts';
import { clean, cropSets, readTsv } from '../bench/plate-accuracy.ts';

const fastPath = process.argv[2];
if (!fastPath) throw new Error('usage: reader-cascade.ts FAST_READER.onnx');
const manifest = ManifestSchema.parse(JSON.parse(readFileSync(join(ROOT, 'models/manifest.json'), 'utf8')));
const file = (n: string) => new Uint8Array(readFileSync(join(ROOT, 'models', findModel(manifest, n)!.file)));
const engine = await createNodeEngine(
  [
    { name: 'plate-detector', bytes: file('plate-detector') },
    { name: PLATE_READER, bytes: file(PLATE_READER) },
    { name: 'fast', bytes: new Uint8Array(readFileSync(fastPath)) },
  ],
  2,
);
const m = plateModels(detectorSpec(findModel(manifest, 'plate-detector')!), readerSpec(findModel(manifest, PLATE_READER)!));
const fast = { ...m, reader: { ...m.reader, output: { ...m.reader.output, name: 'probs', region: undefined } } };
// the fast model under the reader's name, for readPlates
const fastEngine: Engine = { ...engine, run: (name, feeds) => engine.run(name === PLATE_READER ? 'fast' : name, feeds) };

interface Row { set: string; truth: string; shipped: string; fast: string; score: number; fw: number; aspect: number }
const rows: Row[] = [];
async function one(set: string, img: RawImage, box: Box, truth: string) {
  const [read] = await readPlateBoxes(engine, m, img, [box]);
  const d = read.chars.length ? decidePlate(read.chars, colourMarks(read.crop), {}, undefined, read.looks) : null;
  const src = asSource(img);
  const patch = src.region(cropFootprint(box, m.reader.input, src.width, src.height));
  const crop = oneRowCrop(patch.pixels, boxIn(box, patch.x, patch.y), m.reader.input);
  const [f] = await readPlates(fastEngine, fast, [crop]);
  const fd = f.chars.length ? decidePlate(f.chars, colourMarks(crop), {}) : null;
  const fastText = fd?.best.text ?? '';
  rows.push({
    set, truth, shipped: d?.best.text ?? '', fast: fastText,
    score: f.chars.length ? readingScore(f.chars.map((c) => c.prob)) : 0,
    fw: formatWeight(f.chars.map((c) => c.char).join('')),
    aspect: (box.xmax - box.xmin) / Math.max(1, box.ymax - box.ymin),
  });
}

const data = join(ROOT, '../shared/data');
const dec = await nodeDecoders();
{
  const dir = join(data, 'plates-openlpr-val');
  const recs = readTsv(join(dir, 'texts.tsv'));
  const images = new Map<string, RawImage>();
  for (const r of recs) {
    if (r.legibility !== 'clear' || !r.text || r.text === '-') continue;
    if (!images.has(r.image)) images.set(r.image, await dec.decodeBytes(new Uint8Array(readFileSync(join(dir, 'images', r.image)))));
    await one('openlpr-val', images.get(r.image)!, { xmin: +r.x, ymin: +r.y, xmax: +r.x + +r.w, ymax: +r.y + +r.h }, clean(r.text));
  }
}
for (const set of cropSets(data)) {
  for (const it of set.items) {
    const img = await dec.decodeBytes(new Uint8Array(readFileSync(join(data, set.dir, it.file))));
    await one(set.name, img, it.box ?? { xmin: 0, ymin: 0, xmax: img.width, ymax: img.height }, it.text);
  }
}
writeFileSync(join(ROOT, 'bench-results/reader-cascade.json'), JSON.stringify(rows));

const sets = ['all', ...new Set(rows.map((r) => r.set))];
console.log(`shipped reader exact: ${sets.map((s) => `${s} ${pct(rows.filter((r) => s === 'all' || r.set === s).filter((r) => r.shipped === r.truth).length, rows.filter((r) => s === 'all' || r.set === s).length)}`).join(', ')}`);
console.log(`fast reader alone:    ${sets.map((s) => `${s} ${pct(rows.filter((r) => s === 'all' || r.set === s).filter((r) => r.fast === r.truth).length, rows.filter((r) => s === 'all' || r.set === s).length)}`).join(', ')}`);
console.log('rule (score ≥ s, format ≥ f, aspect ≥ a) | fast answers | fast wrong where shipped right | cascade exact per set');
for (const s of [0.9, 0.95, 0.97, 0.98, 0.99]) {
  for (const f of [0, 0.5]) {
    for (const a of [0, 2.6]) {
      const take = (r: Row) => r.score >= s && r.fw >= f && r.aspect >= a;
      const acc = rows.filter(take);
      const lost = acc.filter((r) => r.fast !== r.truth && r.shipped === r.truth).length;
      const gained = acc.filter((r) => r.fast === r.truth && r.shipped !== r.truth).length;
      const per = sets.map((k) => {
        const rs = rows.filter((r) => k === 'all' || r.set === k);
        return `${k} ${pct(rs.filter((r) => (take(r) ? r.fast : r.shipped) === r.truth).length, rs.length)}`;
      });
      console.log(`s ${s} f ${f} a ${a} | ${pct(acc.length, rows.length)} | −${lost} +${gained} | ${per.join(', ')}`);
    }
  }
}
function pct(a: number, n: number) {
  return n ? `${((100 * a) / n).toFixed(1)}` : '-';
}
