/**
 * Plate recognition in the package's module worker in Debian Chromium, on project-generated scenes:
 * WASM reads the plate exactly; WebGPU (SwiftShader, a small image with a large plate, fast mode)
 * reads the same text as WASM and says it ran on WebGPU.
 */
import { expect, test, type Page } from '@playwright/test';
import { generatePlateScene } from '../../packages/core/test/gen/plate-scenes.ts';

type Box = { xmin: number; ymin: number; xmax: number; ymax: number };

function iou(a: Box, b: Box): number {
  const w = Math.max(0, Math.min(a.xmax, b.xmax) - Math.max(a.xmin, b.xmin));
  const h = Math.max(0, Math.min(a.ymax, b.ymax) - Math.max(a.ymin, b.ymin));
  const inter = w * h;
  const area = (r: Box) => (r.xmax - r.xmin) * (r.ymax - r.ymin);
  return inter / (area(a) + area(b) - inter);
}

async function openHarness(page: Page) {
  await page.goto('/');
  await expect(page.locator('#status')).toHaveText('ready');
}

test('the worker reads generated plate scenes on WASM, in the CarsXE shape', async ({ page }) => {
  await openHarness(page);
  const scenes = [
    generatePlateScene(2101, { plates: 1, style: 'eu', format: 'jpeg' }),
    generatePlateScene(2102, { plates: 1, style: 'us', format: 'png' }),
  ];
  const out = await page.evaluate(async (images) => {
    const progress: { stage: string; file: string; loaded: number; total: number }[] = [];
    const r = await window.platelens.createRecognizer({ backend: 'wasm', tasks: ['plate'], modelBaseUrl: '/', onProgress: (e) => progress.push(e) });
    const answers = [];
    for (const b64 of images) answers.push(await r.recognizePlate(b64).catch((e) => ({ error: { status: e.status, message: e.message } })));
    const backend = r.backend;
    await r.dispose();
    return { answers, backend, progress };
  }, scenes.map((s) => Buffer.from(s.bytes).toString('base64')));
  expect(out.backend).toBe('wasm');
  for (const file of ['plate-detector.onnx', 'plate-reader.onnx']) {
    const downloads = out.progress.filter((p) => p.stage === 'download' && p.file === file);
    expect(downloads.length, file).toBeGreaterThan(0);
    expect(downloads.at(-1)!.loaded).toBe(downloads.at(-1)!.total);
  }
  scenes.forEach((s, i) => {
    const res = out.answers[i] as { success: boolean; results: { plate: string; box: Box; score: number; dscore?: number }[] };
    const truth = s.plates[0];
    expect(res, `seed ${s.seed} ${truth.text}`).toHaveProperty('results');
    expect(res.success).toBe(true);
    const best = res.results[0];
    expect(best.plate, `seed ${s.seed}`).toBe(truth.text.toLowerCase());
    expect(iou(best.box, truth.box), `seed ${s.seed} box ${JSON.stringify(best.box)} vs ${JSON.stringify(truth.box)}`).toBeGreaterThanOrEqual(0.5);
    expect(best.score).toBeGreaterThan(0);
    expect(best.dscore).toBeGreaterThan(0);
  });
});

test('WebGPU (SwiftShader) reads the same plate as WASM and reports its backend', async ({ page }) => {
  // SwiftShader is a CPU rasteriser: a 320×240 image with one large plate, fast mode (320 detector input)
  test.setTimeout(300_000); // measured 2.1 min on the shared 2-core machine
  await openHarness(page);
  const s = generatePlateScene(2201, { style: 'us', closeUp: 0.4, width: 320, height: 240, format: 'png' });
  const truth = s.plates[0];
  const out = await page.evaluate(async (b64) => {
    const hasAdapter = !!(await (navigator as unknown as { gpu?: { requestAdapter(): Promise<unknown> } }).gpu?.requestAdapter());
    const opts = { tasks: ['plate'] as 'plate'[], modelBaseUrl: '/' };
    const t0 = performance.now();
    const gpu = await window.platelens.createRecognizer({ ...opts, backend: 'webgpu' });
    const t1 = performance.now();
    const gpuRes = await gpu.recognizePlate(b64, { mode: 'fast' });
    const t2 = performance.now();
    const gpuBackend = gpu.backend;
    await gpu.dispose();
    const cpu = await window.platelens.createRecognizer({ ...opts, backend: 'wasm' });
    const cpuRes = await cpu.recognizePlate(b64, { mode: 'fast' });
    const cpuBackend = cpu.backend;
    await cpu.dispose();
    return { hasAdapter, gpuRes, gpuBackend, cpuRes, cpuBackend, ms: { gpuStart: t1 - t0, gpuRun: t2 - t1 } };
  }, Buffer.from(s.bytes).toString('base64'));
  console.log(`plate on WebGPU (SwiftShader): session start ${out.ms.gpuStart.toFixed(0)} ms, recognizePlate ${out.ms.gpuRun.toFixed(0)} ms`);
  expect(out.hasAdapter).toBe(true);
  expect(out.gpuBackend).toBe('webgpu');
  expect(out.cpuBackend).toBe('wasm');
  // WASM reads the plate; WebGPU gives the same text, box and (nearly) the same scores
  expect(out.cpuRes.results[0].plate).toBe(truth.text.toLowerCase());
  expect(iou(out.cpuRes.results[0].box, truth.box)).toBeGreaterThanOrEqual(0.5);
  expect(out.gpuRes.results.map((r) => r.plate)).toEqual(out.cpuRes.results.map((r) => r.plate));
  expect(iou(out.gpuRes.results[0].box, out.cpuRes.results[0].box)).toBeGreaterThanOrEqual(0.9);
  expect(Math.abs(out.gpuRes.results[0].score - out.cpuRes.results[0].score)).toBeLessThan(0.05);
});
