/**
 * The reading-confidence floor that keeps junk detections (a bumper, a sticker, a dealer frame)
 * from becoming readings: every result recognizePlate returns on plates-openlpr-val is a true
 * plate (IoU ≥ 0.5 with a boxed plate) or junk; print how many of each a floor on the reading
 * score keeps. Not every visible plate in that set is boxed, so "junk" is an upper bound.
 *   node --import tsx tools/tune/plate-floor.ts
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { nodeDecoders } from '../../packages/core/src/image/decode-node.ts';
import { iou } from '../../packages/core/src/plate/nms.ts';
import { detectorSpec, readerSpec } from '../../packages/core/src/plate/plate-spec.ts';
import { plateModels, recognizePlate } from '../../packages/core/src/plate/recognize-plate.ts';
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
const dir = join(ROOT, '../shared/data/plates-openlpr-val');
const gts = new Map<string, { xmin: number; ymin: number; xmax: number; ymax: number }[]>();
for (const [image, x, y, w, h] of readFileSync(join(dir, 'boxes.tsv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t'))) {
  gts.set(image, [...(gts.get(image) ?? []), { xmin: +x, ymin: +y, xmax: +x + +w, ymax: +y + +h }]);
}
const dec = await nodeDecoders();
const real: number[] = [];
const junk: number[] = [];
for (const [image, boxes] of gts) {
  const img = await dec.decodeBytes(new Uint8Array(readFileSync(join(dir, 'images', image))));
  const res = await recognizePlate(engine, m, img, {}).catch(() => null);
  for (const r of res?.results ?? []) (boxes.some((b) => iou(b, r.box) >= 0.5) ? real : junk).push(r.score);
}
console.log(`results: ${real.length} on boxed plates, ${junk.length} elsewhere`);
console.log('floor  kept_real  kept_junk');
for (const f of [0, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8]) {
  console.log(f.toFixed(2), real.filter((s) => s >= f).length, junk.filter((s) => s >= f).length);
}
console.log('junk scores', junk.map((s) => s.toFixed(2)).sort().join(' '));
