/**
 * The user's path, from the packed tarballs only (tests/consumer/make-app.ts): a new Vite app in a
 * temp dir outside the workspace with Vite's default worker settings (iife) and COOP/COEP,
 * type-checked under a strict create-vite tsconfig, built and served by `vite preview`; plain
 * ESM Node importing @platelens/core/node; the installed `platelens` bin.
 */
import { test, expect, type Page } from '@playwright/test';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { makeConsumerApp, type ConsumerApp } from '../consumer/make-app.ts';

const exec = promisify(execFile);
const PORT = 5186;
const URL_ = `http://127.0.0.1:${PORT}/`;
const ES_URL = `${URL_}es/`; // the same app built with worker.format 'es'
const PLATE = '448ljt'; // packages/cli/samples/README.md
const VIN = 'LSGWDY6E2E5945482';

let app: ConsumerApp;
const servers: ChildProcess[] = [];

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  test.setTimeout(360_000);
  app = makeConsumerApp();
  const bin = (name: string) => join(app.dir, 'node_modules/.bin', name);
  await exec(bin('tsc'), ['--noEmit', '-p', '.'], { cwd: app.dir }); // the .d.ts under strict + erasableSyntaxOnly
  await exec(bin('vite'), ['build', '--logLevel', 'warn'], { cwd: app.dir });
  await exec(bin('vite'), ['build', '--logLevel', 'warn', '--config', 'vite.es.config.ts'], { cwd: app.dir });
  const server = spawn(bin('vite'), ['preview', '--port', String(PORT), '--strictPort', '--host', '127.0.0.1'], {
    cwd: app.dir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  server.stdout!.on('data', (d) => (log += d));
  server.stderr!.on('data', (d) => (log += d));
  servers.push(server);
  for (let i = 0; ; i++) {
    const up = await fetch(ES_URL).then((r) => r.ok, () => false);
    if (up) break;
    if (i > 100) throw new Error(`vite preview of the consumer app did not start:\n${log}`);
    await new Promise((r) => setTimeout(r, 200));
  }
});

test.afterAll(() => {
  for (const s of servers) s.kill();
  if (app) rmSync(dirname(app.dir), { recursive: true, force: true });
});

async function runApp(page: Page, query: string, base = URL_) {
  const warnings: string[] = [];
  const workers: string[] = []; // Playwright also reports the workers ORT starts for WASM threads
  const cspViolations: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'warning') warnings.push(m.text());
    if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
  });
  page.on('worker', (w) => workers.push(w.url()));
  await page.goto(`${base}?${query}`);
  await expect(page.locator('#out')).toHaveAttribute('data-done', 'true', { timeout: 150_000 });
  // served with CSP default-src 'self'; script-src 'self' 'wasm-unsafe-eval' (the README's)
  expect(cspViolations).toEqual([]);
  return { result: JSON.parse((await page.locator('#out').textContent())!), warnings, workers };
}

test('the tarballs carry built JS + .d.ts, no sources, tests or fixtures', async () => {
  for (const [name, tgz] of Object.entries(app.tarballs)) {
    const { stdout } = await exec('tar', ['tzf', tgz]);
    const files = stdout.trim().split('\n');
    expect(files.filter((f) => /\/(src|test|tests|fixtures)\/|\.ts$/.test(f) && !f.endsWith('.d.ts')), name).toEqual([]);
    const entry = name === 'models' ? 'manifest' : name === 'cli' ? 'dist/main' : 'dist/index';
    expect(files, name).toEqual(expect.arrayContaining(name === 'models' ? ['package/manifest.json'] : [`package/${entry}.js`, `package/${entry}.d.ts`]));
  }
});

test('Vite app, default (iife) worker, COOP/COEP: reads the plate sample; auto skips the software WebGPU adapter', async ({ page }) => {
  const { result, warnings, workers } = await runApp(page, 'task=plate');
  expect(result.ok, result.message).toBe(true);
  // Chromium here has only SwiftShader's adapter (isFallbackAdapter): 'auto' must not take it
  const fallback = await page.evaluate(async () => {
    const a = (await (navigator as any).gpu?.requestAdapter()) as any;
    return a ? a.isFallbackAdapter === true || a.info?.isFallbackAdapter === true : null;
  });
  expect(fallback).toBe(true);
  expect(result.backend).toBe('wasm');
  expect(result.isolated).toBe(true);
  expect(result.response.results.map((r: { plate: string }) => r.plate)).toEqual([PLATE]);
  expect(result.stages).toEqual(expect.arrayContaining(['download', 'verify', 'session', 'ready']));
  expect(result.stages.indexOf('session')).toBe(result.stages.length - 2);
  // threads would have hung in this worker format: the package chose 1 thread and said why
  expect(warnings.join('\n')).toContain('using 1 WASM thread');
  expect(workers).toHaveLength(1);
});

test('Vite app with worker.format es: WASM threads start (a second worker: ORT\'s thread) and it reads the plate', async ({ page }) => {
  const { result, warnings, workers } = await runApp(page, 'task=plate', ES_URL);
  expect(result.ok, result.message).toBe(true);
  expect(result.response.results.map((r: { plate: string }) => r.plate)).toEqual([PLATE]);
  expect(warnings.join('\n')).not.toContain('using 1 WASM thread');
  expect(new Set(workers).size).toBe(2); // our worker + the ORT chunk as thread worker(s)
});

test('Vite app, default worker: reads the VIN sample', async ({ page }) => {
  const { result } = await runApp(page, 'task=vin&backend=wasm');
  expect(result.ok, result.message).toBe(true);
  expect(result.response.vin).toBe(VIN);
});

test('Vite app: models URL answered with index.html (SPA fallback) is a typed error, not a JSON parse error', async ({ page }) => {
  const { result } = await runApp(page, 'task=plate&backend=wasm&models=./no-models-here/');
  expect(result.ok).toBe(false);
  expect(result.code).toBe('MODEL_MANIFEST_INVALID');
  expect(result.message).toContain('no-models-here/manifest.json');
  expect(result.ms).toBeLessThan(10_000);
});

test('Node, plain ESM: @platelens/core/node from the tarball reads the plate with the default models', async () => {
  const script = `
    import { createRecognizer } from '@platelens/core/node';
    import { readFile } from 'node:fs/promises';
    const r = await createRecognizer({ tasks: ['plate'] });
    const res = await r.recognizePlate(await readFile('public/plate-street.jpg'));
    await r.dispose();
    console.log(JSON.stringify({ backend: r.backend, plates: res.results.map((p) => p.plate) }));`;
  const { stdout } = await exec('node', ['--input-type=module', '-e', script], { cwd: app.dir });
  expect(JSON.parse(stdout)).toEqual({ backend: 'cpu', plates: [PLATE] });
});

test('CLI from the tarball: one contract line per file; exit 1 when a file cannot be read', async () => {
  const bin = join(app.dir, 'node_modules/.bin/platelens');
  const ok = await exec(bin, ['plate', 'public/plate-street.jpg'], { cwd: app.dir });
  const line = JSON.parse(ok.stdout);
  expect(line.file).toBe('public/plate-street.jpg');
  expect(line.response.results[0].plate).toBe(PLATE);

  const bad = await exec(bin, ['vin', 'public/vin-door-sticker.jpg', 'missing.jpg'], { cwd: app.dir }).then(
    () => null,
    (e: { code: number; stdout: string }) => e,
  );
  expect(bad?.code).toBe(1);
  const [first, second] = bad!.stdout.trim().split('\n').map((l) => JSON.parse(l));
  expect(first.response.vin).toBe(VIN);
  expect(second).toMatchObject({ file: 'missing.jpg', error: { status: 400, message: expect.stringContaining('missing.jpg') } });
});

test('browser-only install (core alone) gets no onnxruntime-node or sharp; the Node entry then says what to install', async () => {
  const dir = join(dirname(app.dir), 'browser-only');
  mkdirSync(dir);
  const core = `file:${app.tarballs.core}`;
  const pkg = { name: 'browser-only', private: true, type: 'module', dependencies: { '@platelens/core': core } };
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ ...pkg, pnpm: { overrides: { '@platelens/models': `file:${app.tarballs.models}` } } }));
  await exec('pnpm', ['install', '--prefer-offline', '--no-frozen-lockfile'], { cwd: dir });
  const installed = readdirSync(join(dir, 'node_modules/.pnpm'));
  expect(installed.some((n) => n.startsWith('onnxruntime-web@'))).toBe(true);
  expect(installed.filter((n) => /^(onnxruntime-node|sharp)@/.test(n))).toEqual([]);
  const script = `import { createRecognizer } from '@platelens/core/node';
    await createRecognizer({ tasks: ['plate'] }).then(() => console.log('{}'), (e) => console.log(JSON.stringify({ code: e.code, message: e.message })));`;
  const { stdout } = await exec('node', ['--input-type=module', '-e', script], { cwd: dir });
  expect(JSON.parse(stdout)).toEqual({ code: 'BACKEND_UNAVAILABLE', message: expect.stringContaining('npm install onnxruntime-node') });
});
