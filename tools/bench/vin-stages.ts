/**
 * `pnpm bench:stages:vin`: where the VIN pipeline's time goes, in Node (onnxruntime-node, 2
 * threads) and in headless Chromium (onnxruntime-web WASM, 1 and 2 threads), on generated
 * 1280×720 scenes (seeds 1000+, the scenes of `pnpm bench vin`). Per photo: decode, each
 * model's summed run time and calls, the rest (JavaScript, barcode reading), the readVin call.
 * Medians after a warm-up pass; compare rows of one run. BENCH_BROWSER=0 skips Chromium.
 * Writes bench-results/vin-stages.json.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { nodeDecoders } from '../../packages/core/src/image/decode-node.ts';
import { modelsFor, RecognizerCore } from '../../packages/core/src/recognizer-core.ts';
import { ManifestSchema } from '../../packages/core/src/runtime/manifest.ts';
import { createNodeEngine } from '../../packages/core/src/runtime/ort-node.ts';
import { generateVinScene } from '../../packages/core/test/gen/vin-scenes.ts';
import { median, openHarness, printTable, ROOT, writeJson } from './common.ts';
import { os } from './os.ts';
import { vinStages, type StageTimes } from './stage-timer.ts';

const N = Number(process.env.BENCH_N ?? 15);
const manifest = ManifestSchema.parse(JSON.parse(readFileSync(join(ROOT, 'models/manifest.json'), 'utf8')));
const photos = Array.from({ length: N }, (_, i) => generateVinScene(1000 + i, { width: 1280, height: 720, format: 'jpeg' }).bytes);

const med = (v: number[]) => Math.round(median(v) * 10) / 10;
const rowOf = (runtime: string, r: { times: StageTimes; runs: Record<string, number> }) => ({
  runtime,
  photos: N,
  ...Object.fromEntries(Object.entries(r.times).map(([k, v]) => [k, med(v)])),
  'runs / photo (det, vin-reader, text-rec)': ['text-det', 'vin-reader', 'text-rec'].map((m) => (r.runs[m] ?? 0).toFixed(1)).join(' / '),
});

const rows: Record<string, string | number>[] = [];
const models = modelsFor(manifest, ['vin']);
const ort = await createNodeEngine(models.map((m) => ({ name: m.name, bytes: new Uint8Array(readFileSync(join(ROOT, 'models', m.file))) })), 2);
const dec = await nodeDecoders();
rows.push(rowOf('node onnxruntime-node 2 threads', await vinStages(ort, (e) => new RecognizerCore(e, manifest, ['vin']), photos, (b) => dec.decodeBytes(b))));
if (process.env.BENCH_BROWSER !== '0') {
  for (const threads of [1, 2]) {
    const b = await openHarness();
    try {
      const payload = photos.map((p) => Buffer.from(p).toString('base64'));
      const r = await b.page.evaluate(({ payload, threads }) => window.benchVinStages(payload, threads), { payload, threads });
      rows.push(rowOf(`chromium wasm ${threads} thread${threads > 1 ? 's' : ''}`, r));
    } finally {
      await b.close();
    }
  }
}
printTable(`VIN pipeline stages, median ms per photo, ${N} generated 1280×720 scenes (${os()})`, rows);
console.log(`\nwrote ${writeJson('vin-stages.json', { date: new Date().toISOString(), machine: os(), rows })}`);
