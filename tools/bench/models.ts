/**
 * `pnpm bench:models`: latency of each shipped model at the input sizes the pipelines use,
 * in headless Chromium (onnxruntime-web WASM, 1 and 2 threads, cross-origin isolated) and
 * in Node (onnxruntime-node, 2 threads). Where pipeline time goes, per inference call.
 * Prints a table, writes bench-results/models.json.
 *
 * A/B of model files in one run: BENCH_MODELS_B=<folder under models/> (e.g. `before`, holding
 * the previous plate-reader.onnx) adds a row for every case whose file is also in that folder;
 * BENCH_MODELS_ONLY=plate-reader,… keeps only those models.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SHARED_SESSION_OPTIONS } from '../../packages/core/src/runtime/ort-sessions.ts';
import { median, openHarness, printTable, ROOT, writeJson } from './common.ts';
import { os } from './os.ts';

const REPS = Number(process.env.BENCH_N ?? 15);
interface Case { model: string; file: string; what: string; feeds: { name: string; dims: number[] }[] }
const CASES: Case[] = [
  { model: 'text-det', file: 'text-det.onnx', what: '1280×720 at 640', feeds: [{ name: 'x', dims: [1, 3, 352, 640] }] },
  { model: 'text-det', file: 'text-det.onnx', what: '1280×720 at 512', feeds: [{ name: 'x', dims: [1, 3, 288, 512] }] },
  { model: 'text-det', file: 'text-det.onnx', what: '1280×720 at 960', feeds: [{ name: 'x', dims: [1, 3, 544, 960] }] },
  { model: 'vin-reader', file: 'vin-reader.onnx', what: '2 lines, 32×256', feeds: [{ name: 'x', dims: [2, 3, 32, 256] }] },
  { model: 'text-rec', file: 'text-rec.onnx', what: '2 lines, 48×384', feeds: [{ name: 'x', dims: [2, 3, 48, 384] }] },
  { model: 'plate-detector', file: 'plate-detector.onnx', what: '1280×720 at 512', feeds: [{ name: 'x', dims: [1, 3, 288, 512] }] },
  { model: 'plate-reader', file: 'plate-reader.onnx', what: '1 plate, 48×200', feeds: [{ name: 'x', dims: [1, 3, 48, 200] }] },
  { model: 'plate-reader', file: 'plate-reader.onnx', what: 'squarish plate: 2 layouts, 48×200', feeds: [{ name: 'x', dims: [2, 3, 48, 200] }] },
];
// BENCH_MODELS_ONLY=plate-reader,plate-detector keeps only those models' rows
const ONLY = process.env.BENCH_MODELS_ONLY?.split(',');
if (ONLY) CASES.splice(0, CASES.length, ...CASES.filter((c) => ONLY.includes(c.model)));
const B = process.env.BENCH_MODELS_B;
if (B) {
  for (const c of [...CASES]) {
    if (existsSync(join(ROOT, 'models', B, c.file))) CASES.push({ ...c, model: `${c.model} (${B})`, file: `${B}/${c.file}` });
  }
}

const rows: Record<string, string | number>[] = CASES.map((c) => ({ model: c.model, input: c.what }));
const nodeOrt = await import('onnxruntime-node');
for (const [i, c] of CASES.entries()) {
  const s = await nodeOrt.InferenceSession.create(new Uint8Array(readFileSync(join(ROOT, 'models', c.file))), { intraOpNumThreads: 2, interOpNumThreads: 1, ...SHARED_SESSION_OPTIONS });
  const feeds = Object.fromEntries(c.feeds.map((f) => [f.name, new nodeOrt.Tensor('float32', new Float32Array(f.dims.reduce((a, d) => a * d, 1)).fill(0.5), f.dims)]));
  await s.run(feeds);
  const ms: number[] = [];
  for (let k = 0; k < REPS; k++) {
    const t = performance.now();
    await s.run(feeds);
    ms.push(performance.now() - t);
  }
  rows[i]['node 2t ms'] = Math.round(median(ms) * 10) / 10;
}
// the WASM thread count is fixed when onnxruntime-web first starts: one page per setting
for (const threads of [1, 2]) {
  const b = await openHarness();
  try {
    // one pass over every case first: V8 compiles onnxruntime's wasm lazily and tiers it up, so
    // the first cases of a page would otherwise run on baseline code (2–6× slower)
    for (const c of CASES) await b.page.evaluate(([file, feeds, threads]) => window.benchModel(file, feeds, threads, 3), [c.file, c.feeds, threads] as const);
    for (const [i, c] of CASES.entries()) {
      const r = await b.page.evaluate(([file, feeds, threads, reps]) => window.benchModel(file, feeds, threads, reps), [c.file, c.feeds, threads, REPS] as const);
      rows[i][`chromium ${threads}t ms`] = Math.round(median(r.ms) * 10) / 10;
    }
  } finally {
    await b.close();
  }
}
printTable(`PlateLens model latency — median of ${REPS} runs per cell, after one warm-up (${os()})`, rows);
console.log(`\nwrote ${writeJson('models.json', { date: new Date().toISOString(), machine: os(), rows })}`);
