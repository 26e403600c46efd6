/**
 * `pnpm bench:scaling`: how plate time grows with the picture and with the number of plates,
 * in Node (onnxruntime-node, 2 threads) and headless Chromium (onnxruntime-web WASM, 2 threads).
 *  - resolution rows: one generated plate scene per size, 640×480 … 6000×4000 (plates scale with it);
 *  - plate-count rows: 1, 2, 4, 8 plates per 1920×1080 picture (a grid of generated one-plate scenes).
 * Also the first call after `createRecognizer` (cold JIT / kernels) against the steady median.
 * Prints tables, writes bench-results/scaling.json. BENCH_N scenes per row (default 5).
 */
import { createCanvas, loadImage } from '@napi-rs/canvas';
import { createRecognizer } from '../../packages/core/src/node.ts';
import { generatePlateScene } from '../../packages/core/test/gen/plate-scenes.ts';
import { median, openHarness, printTable, writeJson } from './common.ts';
import { os } from './os.ts';

const N = Number(process.env.BENCH_N ?? 5);
const SIZES: [number, number][] = [[640, 480], [1280, 720], [1920, 1080], [4000, 3000], [6000, 4000]];
const COUNTS = [1, 2, 4, 8];

interface Case { name: string; bytes: Uint8Array; plates: string[] }

async function grid(seed: number, k: number): Promise<Case> {
  const [W, H] = [1920, 1080];
  const cols = Math.ceil(Math.sqrt(k)), rows = Math.ceil(k / cols);
  const canvas = createCanvas(W, H);
  const ctx = canvas.getContext('2d');
  const plates: string[] = [];
  for (let i = 0; i < k; i++) {
    const s = generatePlateScene(seed * 10 + i, { plates: 1, width: 1280, height: 720, format: 'jpeg' });
    const img = await loadImage(Buffer.from(s.bytes));
    const w = W / cols, h = H / rows;
    ctx.drawImage(img, (i % cols) * w, Math.floor(i / cols) * h, w, h);
    plates.push(s.plates[0].text.toLowerCase());
  }
  return { name: `${k} plate${k > 1 ? 's' : ''}, 1920×1080`, bytes: new Uint8Array(await canvas.encode('jpeg', 90)), plates };
}

const groups: { name: string; cases: Case[] }[] = [];
for (const [w, h] of SIZES) {
  groups.push({
    name: `${w}×${h}, 1 plate`,
    cases: Array.from({ length: N }, (_, i) => {
      const s = generatePlateScene(4000 + i, { plates: 1, width: w, height: h, format: 'jpeg' });
      return { name: '', bytes: s.bytes, plates: [s.plates[0].text.toLowerCase()] };
    }),
  });
}
for (const k of COUNTS) groups.push({ name: `${k} plate${k > 1 ? 's' : ''}, 1920×1080`, cases: await Promise.all(Array.from({ length: N }, (_, i) => grid(500 + i, k))) });

type Timing = { first_ms: number; median_ms: number; read: string };
const found = (want: string[], got: string[]) => want.filter((p) => got.includes(p)).length;

async function nodeTimes(): Promise<Timing[]> {
  const rec = await createRecognizer({ tasks: ['plate'], numThreads: 2 });
  const out: Timing[] = [];
  let first = true;
  for (const g of groups) {
    const ms: number[] = [];
    let ok = 0, all = 0;
    for (const c of g.cases) {
      const t = performance.now();
      const r = await rec.recognizePlate(c.bytes).catch(() => ({ results: [] as { plate: string }[] }));
      ms.push(performance.now() - t);
      ok += found(c.plates, r.results.map((x) => x.plate));
      all += c.plates.length;
    }
    out.push({ first_ms: first ? Math.round(ms[0]) : NaN, median_ms: Math.round(median(first ? ms.slice(1) : ms) * 10) / 10, read: `${ok}/${all}` });
    first = false;
  }
  await rec.dispose();
  return out;
}

async function browserTimes(threads: number): Promise<Timing[]> {
  const b = await openHarness();
  try {
    const payload = groups.map((g) => g.cases.map((c) => ({ b64: Buffer.from(c.bytes).toString('base64'), plates: c.plates })));
    return await b.page.evaluate(
      async ({ payload, threads }) => {
        const fromB64 = (s: string) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
        const r = await window.platelens.createRecognizer({ backend: 'wasm', tasks: ['plate'], numThreads: threads, modelBaseUrl: '/' });
        const out: { first_ms: number; median_ms: number; read: string }[] = [];
        let first = true;
        for (const g of payload) {
          const ms: number[] = [];
          let ok = 0, all = 0;
          for (const c of g) {
            const bytes = fromB64(c.b64);
            const t = performance.now();
            const res = await r.recognizePlate(bytes).catch(() => ({ results: [] as { plate: string }[] }));
            ms.push(performance.now() - t);
            const got = res.results.map((x) => x.plate);
            ok += c.plates.filter((p) => got.includes(p)).length;
            all += c.plates.length;
          }
          const rest = (first ? ms.slice(1) : ms).sort((a, b) => a - b);
          out.push({ first_ms: first ? Math.round(ms[0]) : NaN, median_ms: Math.round(rest[rest.length >> 1] * 10) / 10, read: `${ok}/${all}` });
          first = false;
        }
        await r.dispose();
        return out;
      },
      { payload, threads },
    );
  } finally {
    await b.close();
  }
}

const node = await nodeTimes();
const web = await browserTimes(2);
const rows = groups.map((g, i) => ({
  input: g.name,
  node_ms: node[i].median_ms,
  node_read: node[i].read,
  chromium_wasm_2t_ms: web[i].median_ms,
  chromium_read: web[i].read,
}));
printTable(`Plate time vs picture size and plate count — median ms of ${N} (plates found exactly / plates) (${os()})`, rows);
const firstCall = [
  { runtime: 'node onnxruntime-node 2 threads', first_call_ms: node[0].first_ms, steady_ms: node[0].median_ms },
  { runtime: 'chromium wasm 2 threads', first_call_ms: web[0].first_ms, steady_ms: web[0].median_ms },
];
printTable('First call after createRecognizer vs steady (640×480 scenes)', firstCall);
console.log(`\nwrote ${writeJson('scaling.json', { date: new Date().toISOString(), machine: os(), rows, firstCall })}`);
