/**
 * `pnpm bench:stages`: where the plate pipeline's time goes in Node (onnxruntime-node, 2 threads),
 * stage by stage, on generated 1280×720 scenes and on real photos (plates-openlpr-val, read from
 * ../shared/data). Each stage is timed on its own call of the pipeline's own functions; the
 * whole `recognizePlate` call is timed separately (it is not the sum: the reader runs once per
 * photo on every box). Then the same stages in headless Chromium (onnxruntime-web WASM, 1 and 2
 * threads; the worker's decoders: createImageBitmap, the canvas-scaled preview, plate regions
 * drawn from the open bitmap; tests/harness/stage-bench.ts); BENCH_BROWSER=0 skips them.
 * Medians; compare rows of one run. Writes bench-results/plate-stages.json.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { nodeDecoders } from '../../packages/core/src/image/decode-node.ts';
import { FloatPool } from '../../packages/core/src/image/float-pool.ts';
import { letterbox } from '../../packages/core/src/plate/letterbox.ts';
import { boxTilt, oneRowCrop } from '../../packages/core/src/plate/plate-crop.ts';
import { detectorSpec, readerSpec } from '../../packages/core/src/plate/plate-spec.ts';
import { detectAt, detectPlates, plateModels, readPlateBoxes, recognizePlate } from '../../packages/core/src/plate/recognize-plate.ts';
import { findModel, ManifestSchema } from '../../packages/core/src/runtime/manifest.ts';
import { createNodeEngine } from '../../packages/core/src/runtime/ort-node.ts';
import { generatePlateScene } from '../../packages/core/test/gen/plate-scenes.ts';
import { median, openHarness, printTable, ROOT, writeJson } from './common.ts';
import { os } from './os.ts';

const N = Number(process.env.BENCH_N ?? 20);
const manifest = ManifestSchema.parse(JSON.parse(readFileSync(join(ROOT, 'models/manifest.json'), 'utf8')));
const det = findModel(manifest, 'plate-detector')!;
const rd = findModel(manifest, 'plate-reader')!;
const load = (f: string) => new Uint8Array(readFileSync(join(ROOT, 'models', f)));
const ort = await createNodeEngine([det, rd].map((e) => ({ name: e.name, bytes: load(e.file) })), 2);
/** Crops the reader was given (the batch sizes of its runs), counted around the real engine. */
let readerCrops = 0;
const engine: typeof ort = {
  ...ort,
  run: (model, feeds) => {
    if (model === rd.name) readerCrops += Object.values(feeds)[0].dims[0];
    return ort.run(model, feeds);
  },
};
const m = plateModels(detectorSpec(det), readerSpec(rd));
const dec = await nodeDecoders();

const valDir = join(ROOT, '../shared/data/plates-openlpr-val/images');
const sets: Record<string, Uint8Array[]> = {
  'generated 1280×720': Array.from({ length: N }, (_, i) => generatePlateScene(2000 + i, { plates: 1, width: 1280, height: 720, format: 'jpeg' }).bytes),
  'openlpr-val photos': readdirSync(valDir).sort().slice(0, N).map((f) => new Uint8Array(readFileSync(join(valDir, f)))),
};

async function time<T>(acc: number[], fn: () => Promise<T> | T): Promise<T> {
  const t = performance.now();
  const r = await fn();
  acc.push(performance.now() - t);
  return r;
}

// letterbox as detectAt calls it: into a reused buffer
const pool = new FloatPool();
const rows: Record<string, string | number>[] = [];
for (const [name, photos] of Object.entries(sets)) {
  const t: Record<string, number[]> = { decode: [], letterbox: [], 'detector (incl. letterbox)': [], 'crops + tilt': [], 'reader + layout': [], total: [] };
  let boxes = 0, reads = 0;
  for (let rep = 0; rep < 2; rep++) {
    for (const bytes of photos) {
      const keep = rep === 1; // the first pass warms up (V8 tiers, ORT arenas)
      const s: Record<string, number[]> = keep ? t : Object.fromEntries(Object.keys(t).map((k) => [k, []]));
      // as the Node recognizer decodes for plates: with the detector-size preview scaled by libvips
      const img = await time(s.decode, () => dec.decodeBytes(bytes, undefined, undefined, { previewSide: m.detector.input.size }));
      await time(s.letterbox, () => pool.give(letterbox(img, m.detector.input.size, m.detector.input.pad, undefined, (n) => pool.take(n)).data));
      await time(s['detector (incl. letterbox)'], () => detectAt(engine, m, img, m.detector.decode.scoreThreshold, m.detector.input.size));
      const found = (await detectPlates(engine, m, img, {})).map((d) => d.box);
      await time(s['crops + tilt'], () => found.forEach((b) => boxTilt(oneRowCrop(img, b, m.reader.input), b, m.reader.input)));
      const before = readerCrops;
      await time(s['reader + layout'], () => readPlateBoxes(engine, m, img, found));
      const crops = readerCrops - before;
      await time(s.total, () => recognizePlate(engine, m, img, {}).catch(() => null));
      if (keep) {
        boxes += found.length;
        reads += crops;
      }
    }
  }
  rows.push({
    set: name,
    photos: photos.length,
    ...Object.fromEntries(Object.entries(t).map(([k, v]) => [k, Math.round(median(v) * 10) / 10])),
    'reader crops / photo': Math.round((reads / photos.length) * 10) / 10,
    'boxes / photo': Math.round((boxes / photos.length) * 10) / 10,
  });
}
const med = (v: number[]) => Math.round(median(v) * 10) / 10;
const browserRows: Record<string, string | number>[] = [];
if (process.env.BENCH_BROWSER !== '0') {
  for (const threads of [1, 2]) {
    const b = await openHarness();
    try {
      for (const [name, photos] of Object.entries(sets)) {
        const payload = photos.map((p) => Buffer.from(p).toString('base64'));
        const r = await b.page.evaluate(({ payload, threads }) => window.benchPlateStages(payload, threads), { payload, threads });
        browserRows.push({
          set: name,
          runtime: `chromium wasm ${threads} thread${threads > 1 ? 's' : ''}`,
          photos: photos.length,
          ...Object.fromEntries(Object.entries(r.times).map(([k, v]) => [k, med(v)])),
          'reader crops / photo': Math.round(r.crops * 10) / 10,
          'boxes / photo': Math.round(r.boxes * 10) / 10,
        });
      }
    } finally {
      await b.close();
    }
  }
}
printTable(`Plate pipeline stages, Node, median ms per photo (${os()})`, rows);
printTable(`Plate pipeline stages, Chromium, median ms per photo`, browserRows);
console.log(`\nwrote ${writeJson('plate-stages.json', { date: new Date().toISOString(), machine: os(), rows, browser: browserRows })}`);
