/**
 * Which detector input sizes find the plates of plates-openlpr-val (IoU ≥ 0.5), per plate-width
 * bucket: each size alone (detectAt), and the default size with a retry at another size when the
 * default finds nothing (what detectPlates does). Run: node --import tsx tools/tune/detect-scales.ts [sizes…]
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { nodeDecoders } from '../../packages/core/src/image/decode-node.ts';
import { iou } from '../../packages/core/src/plate/nms.ts';
import { detectorSpec, readerSpec } from '../../packages/core/src/plate/plate-spec.ts';
import { detectAt, plateModels } from '../../packages/core/src/plate/recognize-plate.ts';
import { findModel, ManifestSchema } from '../../packages/core/src/runtime/manifest.ts';
import { createNodeEngine } from '../../packages/core/src/runtime/ort-node.ts';
import { ROOT } from '../bench/common.ts';

const sizes = process.argv.slice(2).map(Number);
const manifest = ManifestSchema.parse(JSON.parse(readFileSync(join(ROOT, 'models/manifest.json'), 'utf8')));
const det = findModel(manifest, 'plate-detector')!;
const engine = await createNodeEngine([{ name: 'plate-detector', bytes: new Uint8Array(readFileSync(join(ROOT, 'models', det.file))) }], 2);
const m = plateModels(detectorSpec(det), readerSpec(findModel(manifest, 'plate-reader')!));
const dir = join(ROOT, '../shared/data/plates-openlpr-val');
const rows = readFileSync(join(dir, 'boxes.tsv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t'));
const dec = await nodeDecoders();
const buckets = [60, 100, 160, 300, Infinity];
const stat = new Map<string, number[]>();
const byImage = new Map<string, { xmin: number; ymin: number; xmax: number; ymax: number }[]>();
for (const [image, x, y, w, h] of rows) {
  const b = { xmin: +x, ymin: +y, xmax: +x + +w, ymax: +y + +h };
  byImage.set(image, [...(byImage.get(image) ?? []), b]);
}
for (const [image, gts] of byImage) {
  const img = await dec.decodeBytes(new Uint8Array(readFileSync(join(dir, 'images', image))));
  const found: Record<number, boolean[]> = {};
  const nDet: Record<number, number> = {};
  for (const s of sizes) {
    const d = await detectAt(engine, m, img, m.detector.decode.scoreThreshold, s);
    nDet[s] = d.length;
    found[s] = gts.map((g) => d.some((p) => iou(p.box, g) >= 0.5));
  }
  gts.forEach((g, i) => {
    const bucket = String(buckets.find((b) => g.xmax - g.xmin < b));
    const row = stat.get(bucket) ?? Array(sizes.length * 2 + 1).fill(0);
    row[0]++;
    sizes.forEach((s, j) => {
      row[1 + j] += found[s][i] ? 1 : 0;
      // cascade: default size, then size s only when the default found nothing
      const casc = found[sizes[0]][i] || (nDet[sizes[0]] === 0 && found[s][i]);
      row[1 + sizes.length + j] += casc ? 1 : 0;
    });
    stat.set(bucket, row);
  });
}
console.log('width<', 'n', ...sizes.map((s) => `@${s}`), ...sizes.map((s) => `${sizes[0]}→${s}`));
for (const [b, row] of [...stat].sort((a, b) => +a[0] - +b[0])) console.log(b, ...row);
const tot = [...stat.values()].reduce((a, r) => a.map((v, i) => v + r[i]));
console.log('all', ...tot);
engine.dispose?.();
