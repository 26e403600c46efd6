/**
 * `pnpm bench`: speed of the whole pipeline on generated 1280×720 scenes, in Node
 * (onnxruntime-node) and in headless Chromium (onnxruntime-web WASM, 1 and 2 threads),
 * with session start time and model bytes. Prints a table, writes bench-results/bench.json.
 * Medians over one run; the machine is noisy, so compare rows of the same run.
 */
import { os } from './os.ts';
import { createRecognizer } from '../../packages/core/src/node.ts';
import { ManifestSchema } from '../../packages/core/src/runtime/manifest.ts';
import { generateVinScene } from '../../packages/core/test/gen/vin-scenes.ts';
import { median, openHarness, percentile, printTable, ROOT, writeJson } from './common.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const N = Number(process.env.BENCH_N ?? 15);
const manifest = ManifestSchema.parse(JSON.parse(readFileSync(join(ROOT, 'models/manifest.json'), 'utf8')));
const bytesOf = (names: string[]) => names.reduce((s, n) => s + (manifest.models.find((m) => m.name === n)?.bytes ?? 0), 0);

interface Row {
  task: string;
  runtime: string;
  n: number;
  median_ms: number;
  p90_ms: number;
  session_ms: number;
  exact: string;
  model_bytes: number;
}

const scenes = Array.from({ length: N }, (_, i) => generateVinScene(1000 + i, { width: 1280, height: 720, format: 'jpeg' }));

async function nodeVin(): Promise<Row> {
  const t0 = performance.now();
  const rec = await createRecognizer({ tasks: ['vin'], numThreads: 2 });
  const session = performance.now() - t0;
  await rec.readVin(scenes[0].bytes).catch(() => undefined); // warm-up
  const ms: number[] = [];
  let ok = 0;
  for (const s of scenes) {
    const t = performance.now();
    const r = await rec.readVin(s.bytes).catch(() => null);
    ms.push(performance.now() - t);
    if (r?.vin === s.vin) ok++;
  }
  await rec.dispose();
  return row('vin', 'node onnxruntime-node 2 threads', ms, session, ok, bytesOf(['text-det', 'text-rec']));
}

function row(task: string, runtime: string, ms: number[], session: number, ok: number, bytes: number): Row {
  return {
    task,
    runtime,
    n: ms.length,
    median_ms: Math.round(median(ms) * 10) / 10,
    p90_ms: Math.round(percentile(ms, 0.9) * 10) / 10,
    session_ms: Math.round(session),
    exact: `${ok}/${ms.length}`,
    model_bytes: bytes,
  };
}

async function browserVin(threads: number): Promise<Row> {
  const b = await openHarness();
  try {
    const payload = scenes.map((s) => ({ b64: Buffer.from(s.bytes).toString('base64'), vin: s.vin }));
    const res = await b.page.evaluate(
      async ({ payload, threads }) => {
        const fromB64 = (s: string) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
        const t0 = performance.now();
        const r = await window.platelens.createRecognizer({ backend: 'wasm', tasks: ['vin'], numThreads: threads, modelBaseUrl: '/' });
        const session = performance.now() - t0;
        await r.readVin(fromB64(payload[0].b64)).catch(() => undefined);
        const ms: number[] = [];
        let ok = 0;
        for (const p of payload) {
          const bytes = fromB64(p.b64);
          const t = performance.now();
          const out = await r.readVin(bytes).catch(() => null);
          ms.push(performance.now() - t);
          if (out?.vin === p.vin) ok++;
        }
        await r.dispose();
        return { ms, ok, session };
      },
      { payload, threads },
    );
    return row('vin', `chromium wasm ${threads} thread${threads > 1 ? 's' : ''}`, res.ms, res.session, res.ok, bytesOf(['text-det', 'text-rec']));
  } finally {
    await b.close();
  }
}

const rows: Row[] = [];
rows.push(await nodeVin());
rows.push(await browserVin(1));
rows.push(await browserVin(2));
printTable(`PlateLens bench — ${N} generated 1280×720 scenes per row (${os()})`, rows as unknown as Record<string, string | number>[]);
console.log(`\nwrote ${writeJson('bench.json', { date: new Date().toISOString(), machine: os(), rows })}`);
