import { expect, test, type Page } from '@playwright/test';
import { renderVinLabel } from '../../packages/core/test/fixtures/render.ts';

const VIN = '1HGCM82633A004352';

async function openHarness(page: Page) {
  await page.goto('/');
  await expect(page.locator('#status')).toHaveText('ready');
}

test('the worker reads a VIN on WASM (2 threads, cross-origin isolated)', async ({ page }) => {
  await openHarness(page);
  const image = renderVinLabel(VIN, { width: 960, height: 540 }).toString('base64');
  const out = await page.evaluate(async (b64) => {
    const progress: { stage: string; file: string; loaded: number; total: number }[] = [];
    const r = await window.platelens.createRecognizer({
      backend: 'wasm',
      tasks: ['vin'],
      modelBaseUrl: '/',
      onProgress: (e) => progress.push(e),
    });
    const res = await r.readVin(b64);
    const backend = r.backend;
    await r.dispose();
    return { res, backend, isolated: crossOriginIsolated, progress };
  }, image);
  expect(out.isolated).toBe(true);
  // download progress per model file, ending at its full size, then 'ready'
  for (const file of ['text-det.onnx', 'vin-reader.onnx', 'text-rec.onnx']) {
    const downloads = out.progress.filter((p) => p.stage === 'download' && p.file === file);
    expect(downloads.length).toBeGreaterThan(0);
    expect(downloads.at(-1)!.loaded).toBe(downloads.at(-1)!.total);
  }
  expect(out.progress.at(-1)!.stage).toBe('ready');
  expect(out.backend).toBe('wasm');
  expect(out.res.vin).toBe(VIN);
  expect(out.res.success).toBe(true);
  expect(out.res.confidence).toBeGreaterThan(0.5);
});

test('WebGPU (SwiftShader) reads the same VIN as WASM and reports its backend', async ({ page }) => {
  test.setTimeout(300_000);
  await openHarness(page);
  // SwiftShader is a CPU rasteriser: keep the input small.
  const image = renderVinLabel(VIN, { width: 400, height: 100, fontPx: 18 }).toString('base64');
  const out = await page.evaluate(async (b64) => {
    const hasAdapter = !!(await (navigator as any).gpu?.requestAdapter());
    const opts = { tasks: ['vin'] as ('vin')[], modelBaseUrl: '/', }; 
    const gpu = await window.platelens.createRecognizer({ ...opts, backend: 'webgpu' });
    const gpuRes = await gpu.readVin(b64, { detectorSize: 416 });
    const gpuBackend = gpu.backend;
    await gpu.dispose();
    const cpu = await window.platelens.createRecognizer({ ...opts, backend: 'wasm' });
    const cpuRes = await cpu.readVin(b64, { detectorSize: 416 });
    await cpu.dispose();
    return { hasAdapter, gpuRes, gpuBackend, cpuRes };
  }, image);
  expect(out.hasAdapter).toBe(true);
  expect(out.gpuBackend).toBe('webgpu');
  expect(out.gpuRes.vin).toBe(VIN);
  expect(out.gpuRes.vin).toBe(out.cpuRes.vin);
  expect(Math.abs(out.gpuRes.confidence - out.cpuRes.confidence)).toBeLessThan(0.05);
});
