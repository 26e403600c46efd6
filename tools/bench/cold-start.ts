/**
 * `pnpm bench:cold`: start-up as a user's app sees it. The consumer app (tests/consumer: the
 * packed tarballs in a fresh Vite app, worker.format 'es', COOP/COEP, `vite build` + `vite
 * preview`) is opened in headless Chromium per task, WASM backend:
 *  - empty cache: a new browser profile (persistent context in a fresh directory: a disk HTTP
 *    cache like a user's, not the in-memory one of Playwright's incognito contexts, which holds
 *    no 14 MB wasm);
 *  - warm cache: the same profile, loaded again (models from Cache Storage, the rest from the
 *    HTTP cache: vite preview sends `no-cache` + ETag, so each file is revalidated).
 * Per row: bytes over the network (response bodies as sent + headers, by kind), page → recognizer ready,
 * page → first result, and where that time went (splitOf). Prints a table, writes
 * bench-results/cold-start.json. RUNS per row (default 3); TASKS=plate|vin|plate,vin (default both);
 * MBPS=n throttles the network to n Mbit/s.
 */
import { execFile, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { chromium, type BrowserContext } from '@playwright/test';
import type { ProgressEvent } from '../../packages/core/src/runtime/model-fetch.ts';
import { makeConsumerApp } from '../../tests/consumer/make-app.ts';
import { CHROMIUM_ARGS } from '../../playwright.config.ts';
import { median, printTable, writeJson } from './common.ts';
import { os } from './os.ts';

const exec = promisify(execFile);
const RUNS = Number(process.env.RUNS ?? 3);
/** MBPS=20: the page's network throttled to 20 Mbit/s down, 40 ms latency (Chromium's emulation); default off. */
const MBPS = Number(process.env.MBPS ?? 0);
const PORT = 5191;
const app = makeConsumerApp();
const bin = (name: string) => join(app.dir, 'node_modules/.bin', name);
await exec(bin('vite'), ['build', '--logLevel', 'warn', '--config', 'vite.es.config.ts'], { cwd: app.dir });
const server = spawn(bin('vite'), ['preview', '--port', String(PORT), '--strictPort', '--host', '127.0.0.1'], { cwd: app.dir, stdio: 'ignore' });
const base = `http://127.0.0.1:${PORT}/es/`;
for (let i = 0; !(await fetch(base).then((r) => r.ok, () => false)); i++) {
  if (i > 150) throw new Error('vite preview did not start');
  await new Promise((r) => setTimeout(r, 200));
}

const kind = (url: string) => (/\.onnx(\?|$)/.test(url) ? 'models' : /\.wasm(\?|$)/.test(url) ? 'wasm' : /\.m?js(\?|$)/.test(url) ? 'js' : 'other');
type Stage = ProgressEvent['stage'];
type Load = { bytes: Record<string, number>; ready: number; result: number; ok: boolean; split: Record<string, number> };
/**
 * Where the start-up time went (ms, from the page's progress events): page → first model byte
 * (JS, worker, manifest), models in hand (fetched or read from Cache Storage and verified), the
 * sessions (onnxruntime's wasm compiled on the first), the warm-up runs, the first call.
 */
function splitOf(r: { sincePageMs?: { start: number; ready: number; result: number }; stageMs?: Partial<Record<Stage, { first: number; last: number }>>; sessionMs?: number[] }) {
  const s = r.stageMs ?? {};
  const p = r.sincePageMs;
  const models = s.verify?.last ?? s.download?.last ?? NaN;
  const boot = Math.min(s.download?.first ?? Infinity, s.verify?.first ?? Infinity);
  return {
    boot_ms: boot,
    models_ms: models - boot,
    gap_ms: (s.session?.first ?? NaN) - models,
    sessions_ms: (s.session?.last ?? NaN) - (s.session?.first ?? NaN),
    // the first session also compiles and starts onnxruntime's wasm (and its thread workers)
    first_session_ms: r.sessionMs && r.sessionMs.length > 2 ? r.sessionMs[1] - r.sessionMs[0] : NaN,
    warmup_ms: (p?.ready ?? NaN) - (s.session?.last ?? NaN),
    first_call_ms: (p?.result ?? NaN) - (p?.ready ?? NaN),
  };
}
async function load(ctx: BrowserContext, task: string): Promise<Load> {
  const page = await ctx.newPage();
  if (MBPS > 0) {
    // a user's link, not localhost: what a first visit waits for (workers' requests share it)
    const cdp = await ctx.newCDPSession(page);
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 40, downloadThroughput: (MBPS * 1e6) / 8, uploadThroughput: (MBPS * 1e6) / 16 });
  }
  const bytes: Record<string, number> = { js: 0, wasm: 0, models: 0, other: 0 };
  const pending: Promise<void>[] = [];
  // Playwright reports the page's and its dedicated workers' requests; responseBodySize is as sent (encoded)
  page.on('requestfinished', (r) => {
    if (r.url().startsWith('data:')) return;
    pending.push(
      Promise.all([r.sizes(), r.response()]).then(([z, res]) => {
        bytes[kind(r.url())] += z.responseBodySize + z.responseHeadersSize;
        if (process.env.DEBUG_REQ) console.log(res?.status(), res?.headers()['cache-control'], z.responseBodySize, r.url());
      }, () => undefined),
    );
  });
  await page.goto(`${base}?task=${task}&backend=wasm`);
  await page.locator('#out[data-done="true"]').waitFor({ timeout: 180_000 });
  const r = JSON.parse((await page.locator('#out').textContent())!);
  await Promise.all(pending);
  await page.close();
  return { bytes, ready: r.sincePageMs?.ready ?? NaN, result: r.sincePageMs?.result ?? NaN, ok: r.ok, split: splitOf(r) };
}

const rows: Record<string, string | number>[] = [];
try {
  for (const task of (process.env.TASKS ?? 'plate,vin').split(',')) {
    const cold: Load[] = [];
    const warm: Load[] = [];
    for (let i = 0; i < RUNS; i++) {
      const profile = mkdtempSync(join(tmpdir(), 'platelens-profile-'));
      const ctx = await chromium.launchPersistentContext(profile, { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
      try {
        cold.push(await load(ctx, task));
        warm.push(await load(ctx, task));
      } finally {
        await ctx.close();
        rmSync(profile, { recursive: true, force: true });
      }
    }
    for (const [cache, xs] of [['empty', cold], ['warm', warm]] as const) {
      const mb = (k: string) => Math.round(median(xs.map((x) => x.bytes[k])) / 1e4) / 100;
      rows.push({
        task,
        cache,
        ok: `${xs.filter((x) => x.ok).length}/${xs.length}`,
        page_to_ready_ms: Math.round(median(xs.map((x) => x.ready))),
        page_to_first_result_ms: Math.round(median(xs.map((x) => x.result))),
        mb_total: Math.round((mb('js') + mb('wasm') + mb('models') + mb('other')) * 100) / 100,
        mb_wasm: mb('wasm'),
        mb_models: mb('models'),
        mb_js: mb('js'),
        ...Object.fromEntries(Object.keys(xs[0].split).map((k) => [k, Math.round(median(xs.map((x) => x.split[k])))])),
      });
    }
  }
} finally {
  server.kill();
  rmSync(dirname(app.dir), { recursive: true, force: true });
}
printTable(`Cold start — consumer Vite app (worker.format es, COOP/COEP, vite preview${MBPS ? `, network ${MBPS} Mbit/s` : ''}), WASM, median of ${RUNS} (${os()})`, rows);
console.log(`\nwrote ${writeJson(`cold-start${MBPS ? `-${MBPS}mbps` : ''}.json`, { date: new Date().toISOString(), machine: os(), mbps: MBPS || null, rows })}`);
