/**
 * Where the weak-detection band sits (recognize-plate.ts WEAK_*): every peak ≥ 0.1 on
 * plates-openlpr-val is read, and for each rule "keep a peak below the detector threshold when
 * its reading scores ≥ r and fits a format ≥ f" this prints detection recall / precision over
 * the boxed plates and end-to-end exact on the clear ones (the pipeline's other rules as shipped).
 *   node --import tsx tools/tune/weak-detections.ts
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { nodeDecoders } from '../../packages/core/src/image/decode-node.ts';
import { formatWeight } from '../../packages/core/src/plate/formats.ts';
import { iou } from '../../packages/core/src/plate/nms.ts';
import { detectorSpec, readerSpec } from '../../packages/core/src/plate/plate-spec.ts';
import { decidePlate, detectPlates, plateModels, readPlateBoxes, READING_FLOOR } from '../../packages/core/src/plate/recognize-plate.ts';
import { colourMarks } from '../../packages/core/src/plate/regions.ts';
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
const threshold = m.detector.decode.scoreThreshold;
const dir = join(ROOT, '../shared/data/plates-openlpr-val');
const clean = (t: string) => t.toUpperCase().replace(/[^A-Z0-9]/g, '');
const byImage = new Map<string, string[][]>();
for (const r of readFileSync(join(dir, 'texts.tsv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t'))) {
  byImage.set(r[0], [...(byImage.get(r[0]) ?? []), r]);
}
interface Peak { score: number; read: number; fw: number; text: string; gt: number }
const images: { gts: { text: string; clear: boolean }[]; peaks: Peak[] }[] = [];
const dec = await nodeDecoders();
for (const [image, gts] of byImage) {
  const img = await dec.decodeBytes(new Uint8Array(readFileSync(join(dir, 'images', image))));
  const boxes = gts.map((r) => ({ xmin: +r[1], ymin: +r[2], xmax: +r[1] + +r[3], ymax: +r[2] + +r[4] }));
  const dets = await detectPlates(engine, m, img, { thresholdDetection: 0.1 }); // every peak ≥ 0.1, one pass
  const reads = dets.length ? await readPlateBoxes(engine, m, img, dets.map((d) => d.box)) : [];
  const peaks = dets.map((d, i) => {
    const c = reads[i].chars.length >= 2 ? decidePlate(reads[i].chars, colourMarks(reads[i].crop), {}, undefined, reads[i].looks) : null;
    const o = boxes.map((b) => iou(b, d.box));
    const j = o.indexOf(Math.max(...o));
    return { score: d.score, read: c?.best.score ?? 0, fw: formatWeight(c?.best.text ?? ''), text: c?.best.text ?? '', gt: o[j] >= 0.5 ? j : -1 };
  });
  images.push({ gts: gts.map((r) => ({ text: clean(r[5]), clear: r[8] === 'clear' && clean(r[5]).length > 0 })), peaks });
}
const pct = (a: number, n: number) => `${((100 * a) / n).toFixed(1)} %`;
function evaluate(keep: (p: Peak) => boolean) {
  let tp = 0, fp = 0, boxes = 0, exact = 0, clear = 0;
  for (const im of images) {
    boxes += im.gts.length;
    const kept = im.peaks.filter((p) => p.read >= READING_FLOOR && keep(p));
    const used = new Set<number>();
    for (const p of kept) (p.gt >= 0 && !used.has(p.gt) ? (used.add(p.gt), tp++) : fp++);
    im.gts.forEach((g, j) => {
      if (!g.clear) return;
      clear++;
      if (kept.find((p) => p.gt === j)?.text === g.text) exact++;
    });
  }
  return { recall: pct(tp, boxes), precision: pct(tp, tp + fp), fp, exact: pct(exact, clear) };
}
const rows = [{ rule: `detector ≥ ${threshold} only`, ...evaluate((p) => p.score >= threshold) }];
for (const lo of [0.1, 0.15, 0.2, 0.3]) {
  for (const [r, f] of [[0.9, 0], [0.95, 0], [0.9, 0.5], [0.95, 0.5], [0.98, 0.5], [0.95, 1]]) {
    rows.push({ rule: `+ ${lo}–${threshold} if read ≥ ${r} & format ≥ ${f}`, ...evaluate((p) => p.score >= threshold || (p.score >= lo && p.read >= r && p.fw >= f)) });
  }
}
console.table(rows);
console.log('(no empty-frame retry here: the shipped pipeline adds it, so its numbers are a little higher)');
engine.dispose?.();
