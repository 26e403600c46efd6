/**
 * `pnpm bench`: speed of the whole pipeline on generated 1280×720 scenes, in Node
 * (onnxruntime-node) and in headless Chromium (onnxruntime-web WASM, 1 and 2 threads),
 * with session start time and model bytes. Prints a table, writes bench-results/bench.json.
 * Medians over one run; the machine is noisy, so compare rows of the same run. `median_ms`: the
 * N calls right after the recognizer is ready (what a user's first photos get); `steady_ms`:
 * the same N again. In Chromium the two differ by onnxruntime's wasm tiering up (V8 compiles
 * hot wasm functions in the background; calls back to back on 2 cores starve that compiler).
 */
import { createRecognizer } from '../../packages/core/src/node.ts';
import { ManifestSchema, TASK_MODELS as MODELS } from '../../packages/core/src/runtime/manifest.ts';
import { generateVinScene } from '../../packages/core/test/gen/vin-scenes.ts';
import { generatePlateScene } from '../../packages/core/test/gen/plate-scenes.ts';
import { os } from './os.ts';
import { median, openHarness, percentile, printTable, ROOT, writeJson } from './common.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const N = Number(process.env.BENCH_N ?? 15);
const manifest = ManifestSchema.parse(JSON.parse(readFileSync(join(ROOT, 'models/manifest.json'), 'utf8')));
const bytesOf = (names: readonly string[]) => names.reduce((s, n) => s + (manifest.models.find((m) => m.name === n)?.bytes ?? 0), 0);

interface Row {
  task: string;
  runtime: string;
  n: number;
  median_ms: number;
  p90_ms: number;
  steady_ms: number;
  session_ms: number;
  exact: string;
  model_bytes: number;
}

type Task = 'vin' | 'plate';
interface Case { bytes: Uint8Array; answer: string }
const cases: Record<Task, Case[]> = {
  vin: Array.from({ length: N }, (_, i) => generateVinScene(1000 + i, { width: 1280, height: 720, format: 'jpeg' })).map((s) => ({ bytes: s.bytes, answer: s.vin })),
  plate: Array.from({ length: N }, (_, i) => generatePlateScene(2000 + i, { plates: 1, width: 1280, height: 720, format: 'jpeg' })).map((s) => ({ bytes: s.bytes, answer: s.plates[0].text.toLowerCase() })),
};

function row(task: string, runtime: string, ms: number[], steady: number[], session: number, ok: number, bytes: number): Row {
  return {
    task,
    runtime,
    n: ms.length,
    median_ms: Math.round(median(ms) * 10) / 10,
    p90_ms: Math.round(percentile(ms, 0.9) * 10) / 10,
    steady_ms: Math.round(median(steady) * 10) / 10,
    session_ms: Math.round(session),
    exact: `${ok}/${ms.length}`,
    model_bytes: bytes,
  };
}

async function nodeRow(task: Task): Promise<Row> {
  const t0 = performance.now();
  const rec = await createRecognizer({ tasks: [task], numThreads: 2 });
  const session = performance.now() - t0;
  const run = (b: Uint8Array) =>
    task === 'vin' ? rec.readVin(b).then((r) => r.vin) : rec.recognizePlate(b).then((r) => r.results[0].plate);
  await run(cases[task][0].bytes).catch(() => undefined); // warm-up
  const ms: number[] = [], steady: number[] = [];
  let ok = 0;
  for (const pass of [ms, steady]) {
    for (const c of cases[task]) {
      const t = performance.now();
      const got = await run(c.bytes).catch(() => null);
      pass.push(performance.now() - t);
      if (pass === ms && got === c.answer) ok++;
    }
  }
  await rec.dispose();
  return row(task, 'node onnxruntime-node 2 threads', ms, steady, session, ok, bytesOf(MODELS[task]));
}

async function browserRow(task: Task, threads: number): Promise<Row> {
  const b = await openHarness();
  try {
    const payload = cases[task].map((c) => ({ b64: Buffer.from(c.bytes).toString('base64'), answer: c.answer }));
    const res = await b.page.evaluate(
      async ({ payload, threads, task }) => {
        const fromB64 = (s: string) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
        const t0 = performance.now();
        const r = await window.platelens.createRecognizer({ backend: 'wasm', tasks: [task], numThreads: threads, modelBaseUrl: '/' });
        const session = performance.now() - t0;
        const run = (bytes: Uint8Array) =>
          task === 'vin' ? r.readVin(bytes).then((x) => x.vin) : r.recognizePlate(bytes).then((x) => x.results[0].plate);
        await run(fromB64(payload[0].b64)).catch(() => undefined);
        const ms: number[] = [], steady: number[] = [];
        let ok = 0;
        for (const pass of [ms, steady]) {
          for (const p of payload) {
            const bytes = fromB64(p.b64);
            const t = performance.now();
            const got = await run(bytes).catch(() => null);
            pass.push(performance.now() - t);
            if (pass === ms && got === p.answer) ok++;
          }
        }
        await r.dispose();
        return { ms, steady, ok, session };
      },
      { payload, threads, task },
    );
    return row(task, `chromium wasm ${threads} thread${threads > 1 ? 's' : ''}`, res.ms, res.steady, res.session, res.ok, bytesOf(MODELS[task]));
  } finally {
    await b.close();
  }
}

const rows: Row[] = [];
for (const task of (process.argv[2] ? [process.argv[2]] : ['vin', 'plate']) as Task[]) {
  rows.push(await nodeRow(task));
  rows.push(await browserRow(task, 1));
  rows.push(await browserRow(task, 2));
}
printTable(`PlateLens bench — ${N} generated 1280×720 scenes per row (exact = right VIN / right plate text) (${os()})`, rows as unknown as Record<string, string | number>[]);
console.log(`\nwrote ${writeJson('bench.json', { date: new Date().toISOString(), machine: os(), rows })}`);
