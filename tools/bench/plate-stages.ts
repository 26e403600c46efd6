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
import { detectorSpec, readerSpec } from '../../packages/core/src/plate/plate-spec.ts';
import { plateModels } from '../../packages/core/src/plate/recognize-plate.ts';
import { findModel, ManifestSchema } from '../../packages/core/src/runtime/manifest.ts';
import { createNodeEngine } from '../../packages/core/src/runtime/ort-node.ts';
import { generatePlateScene } from '../../packages/core/test/gen/plate-scenes.ts';
import { median, openHarness, printTable, ROOT, writeJson } from './common.ts';
import { os } from './os.ts';
import { plateStages } from './stage-timer.ts';

const N = Number(process.env.BENCH_N ?? 20);
const manifest = ManifestSchema.parse(JSON.parse(readFileSync(join(ROOT, 'models/manifest.json'), 'utf8')));
const det = findModel(manifest, 'plate-detector')!;
const rd = findModel(manifest, 'plate-reader')!;
const load = (f: string) => new Uint8Array(readFileSync(join(ROOT, 'models', f)));
const ort = await createNodeEngine([det, rd].map((e) => ({ name: e.name, bytes: load(e.file) })), 2);
const m = plateModels(detectorSpec(det), readerSpec(rd));
const dec = await nodeDecoders();

const valDir = join(ROOT, '../shared/data/plates-openlpr-val/images');
const sets: Record<string, Uint8Array[]> = {
  'generated 1280×720': Array.from({ length: N }, (_, i) => generatePlateScene(2000 + i, { plates: 1, width: 1280, height: 720, format: 'jpeg' }).bytes),
  'openlpr-val photos': readdirSync(valDir).sort().slice(0, N).map((f) => new Uint8Array(readFileSync(join(valDir, f)))),
};

const med = (v: number[]) => Math.round(median(v) * 10) / 10;
const rowOf = (set: string, runtime: string, n: number, r: Awaited<ReturnType<typeof plateStages>>) => ({
  set,
  runtime,
  photos: n,
  ...Object.fromEntries(Object.entries(r.times).map(([k, v]) => [k, med(v)])),
  'reader crops / photo': Math.round(r.crops * 10) / 10,
  'boxes / photo': Math.round(r.boxes * 10) / 10,
});

const rows: Record<string, string | number>[] = [];
for (const [name, photos] of Object.entries(sets)) {
  // as the Node recognizer decodes for plates: with the detector-size preview scaled by libvips
  const r = await plateStages(ort, m, rd.name, photos, (b) => dec.decodeBytes(b, undefined, undefined, { previewSide: m.detector.input.size }));
  rows.push(rowOf(name, 'node onnxruntime-node 2 threads', photos.length, r));
}
const browserRows: Record<string, string | number>[] = [];
if (process.env.BENCH_BROWSER !== '0') {
  for (const threads of [1, 2]) {
    const b = await openHarness();
    try {
      for (const [name, photos] of Object.entries(sets)) {
        const payload = photos.map((p) => Buffer.from(p).toString('base64'));
        const r = await b.page.evaluate(({ payload, threads }) => window.benchPlateStages(payload, threads), { payload, threads });
        browserRows.push(rowOf(name, `chromium wasm ${threads} thread${threads > 1 ? 's' : ''}`, photos.length, r));
      }
    } finally {
      await b.close();
    }
  }
}
printTable(`Plate pipeline stages, Node, median ms per photo (${os()})`, rows);
printTable(`Plate pipeline stages, Chromium, median ms per photo`, browserRows);
console.log(`\nwrote ${writeJson('plate-stages.json', { date: new Date().toISOString(), machine: os(), rows, browser: browserRows })}`);
