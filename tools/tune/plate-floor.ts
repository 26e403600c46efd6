/**
 * The rules that keep junk detections (a bumper, a watermark, a dealer's name, TAXI) from becoming
 * readings: every result the pipeline reads on a scene set is a true plate (IoU ≥ 0.5 with a boxed
 * plate) or junk; print how many of each a floor on the reading score keeps, and what the
 * word rule (recognize-plate.ts `dropWords`: no digit, detection < WORD_DETECTION, next to a
 * plate with digits) drops. Not every visible plate is boxed, so "junk" is an upper bound.
 *   node --import tsx tools/tune/plate-floor.ts [plates-openlpr-val | plates-openlpr-train]
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { nodeDecoders } from '../../packages/core/src/image/decode-node.ts';
import { iou } from '../../packages/core/src/plate/nms.ts';
import { detectorSpec, readerSpec } from '../../packages/core/src/plate/plate-spec.ts';
import { dropWords, plateModels, plateResults, READING_FLOOR } from '../../packages/core/src/plate/recognize-plate.ts';
import { findModel, ManifestSchema } from '../../packages/core/src/runtime/manifest.ts';
import { createNodeEngine } from '../../packages/core/src/runtime/ort-node.ts';
import { ROOT } from '../bench/common.ts';

const manifest = ManifestSchema.parse(JSON.parse(readFileSync(join(ROOT, 'models/manifest.json'), 'utf8')));
const names = ['plate-detector', 'plate-reader'];
const engine = await createNodeEngine(
  names.map((name) => ({ name, bytes: new Uint8Array(readFileSync(join(ROOT, 'models', findModel(manifest, name)!.file))) })),
  2,
);
const m = plateModels(detectorSpec(findModel(manifest, names[0])!), readerSpec(findModel(manifest, names[1])!));
const dir = join(ROOT, '../shared/data', process.argv[2] ?? 'plates-openlpr-val');
const gts = new Map<string, { xmin: number; ymin: number; xmax: number; ymax: number }[]>();
for (const [image, x, y, w, h] of readFileSync(join(dir, 'boxes.tsv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t'))) {
  gts.set(image, [...(gts.get(image) ?? []), { xmin: +x, ymin: +y, xmax: +x + +w, ymax: +y + +h }]);
}
const dec = await nodeDecoders();
const real: number[] = [];
const junk: number[] = [];
const words = { real: [] as string[], junk: [] as string[] };
for (const [image, boxes] of gts) {
  const img = await dec.decodeBytes(new Uint8Array(readFileSync(join(dir, 'images', image))));
  const all = await plateResults(engine, m, img, { thresholdOcr: 0 });
  const isReal = (r: (typeof all)[number]) => boxes.some((b) => iou(b, r.box) >= 0.5);
  for (const r of all) (isReal(r) ? real : junk).push(r.score);
  const floored = all.filter((r) => r.score >= READING_FLOOR);
  const kept = new Set(dropWords(floored));
  for (const r of floored) if (!kept.has(r)) (isReal(r) ? words.real : words.junk).push(`${r.plate} (${r.dscore})`);
}
console.log(`results: ${real.length} on boxed plates, ${junk.length} elsewhere`);
console.log('floor  kept_real  kept_junk');
for (const f of [0, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8]) {
  console.log(f.toFixed(2), real.filter((s) => s >= f).length, junk.filter((s) => s >= f).length);
}
console.log('junk scores', junk.map((s) => s.toFixed(2)).sort().join(' '));
console.log(`word rule, after the floor ${READING_FLOOR}: drops ${words.real.length} on boxed plates [${words.real.join(', ')}], ${words.junk.length} elsewhere [${words.junk.join(', ')}]`);
