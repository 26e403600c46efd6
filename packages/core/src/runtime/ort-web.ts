/**
 * Browser runtime: the only module that imports onnxruntime-web. Picks the backend
 * (WebGPU when an adapter exists and the sessions build and warm up, else WASM),
 * and falls back from WebGPU to WASM for good when a run fails on the GPU.
 * Runs inside our own module worker, so ORT's proxy worker stays off.
 */
import type * as OrtWeb from 'onnxruntime-web';
import { PlateLensError } from '../errors.ts';
import type { Backend, BackendPreference, Engine, Tensor } from './engine.ts';
import { createSessions, sessionEngine, type ModelBytes, type OrtModule, type SessionSetup } from './ort-sessions.ts';

export interface WebEngineOptions {
  backend: BackendPreference;
  /** WASM threads; default: min(4, cores) when cross-origin isolated, else 1. */
  numThreads?: number;
  /** Where ORT's .wasm/.mjs files live, when not bundled next to the worker. */
  wasmPaths?: string;
  /** Feeds to run once per model: compiles WebGPU shaders and proves the backend works. */
  warmup: Record<string, Record<string, Tensor>>;
  log?: (msg: string) => void;
}

export function defaultThreads(): number {
  const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
  const cores = (globalThis.navigator?.hardwareConcurrency as number | undefined) ?? 1;
  return isolated ? Math.max(1, Math.min(4, cores)) : 1;
}

async function hasWebGpuAdapter(): Promise<boolean> {
  const gpu = (globalThis.navigator as { gpu?: { requestAdapter(): Promise<unknown> } } | undefined)?.gpu;
  if (!gpu) return false;
  try {
    return (await gpu.requestAdapter()) != null;
  } catch {
    return false;
  }
}

async function setupFor(backend: Exclude<Backend, 'cpu'>, opts: WebEngineOptions): Promise<SessionSetup> {
  const ort = (backend === 'webgpu' ? await import('onnxruntime-web/webgpu') : await import('onnxruntime-web/wasm')) as typeof OrtWeb;
  ort.env.wasm.proxy = false;
  ort.env.wasm.numThreads = opts.numThreads ?? defaultThreads();
  if (opts.wasmPaths) ort.env.wasm.wasmPaths = opts.wasmPaths;
  ort.env.logLevel = 'error';
  return {
    ort: ort as unknown as OrtModule,
    backend,
    sessionOptions: {
      executionProviders: [backend],
      graphOptimizationLevel: 'all',
    },
  };
}

async function buildEngine(backend: Exclude<Backend, 'cpu'>, models: readonly ModelBytes[], opts: WebEngineOptions): Promise<Engine> {
  const setup = await setupFor(backend, opts);
  const engine = sessionEngine(setup, await createSessions(setup, models));
  try {
    for (const [model, feeds] of Object.entries(opts.warmup)) await engine.run(model, feeds);
  } catch (e) {
    await engine.dispose();
    throw new PlateLensError(500, 'BACKEND_UNAVAILABLE', `${backend} warm-up failed: ${(e as Error).message ?? e}`);
  }
  return engine;
}

export async function createWebEngine(models: readonly ModelBytes[], opts: WebEngineOptions): Promise<Engine> {
  const tryGpu = opts.backend !== 'wasm' && (await hasWebGpuAdapter());
  if (opts.backend === 'webgpu' && !tryGpu) {
    throw new PlateLensError(500, 'BACKEND_UNAVAILABLE', "WebGPU is not available here: use backend 'auto' or 'wasm'");
  }
  let current: Engine | null = null;
  if (tryGpu) {
    try {
      current = await buildEngine('webgpu', models, opts);
    } catch (e) {
      if (opts.backend === 'webgpu') throw e;
      opts.log?.(`WebGPU unavailable, using WASM: ${(e as Error).message}`);
    }
  }
  current ??= await buildEngine('wasm', models, opts);
  let fallback: Promise<Engine> | null = null;

  // WebGPU can still fail at run time (device lost, unsupported shape): rebuild on
  // WASM once and keep using it for this and every later call.
  const engine: Engine = {
    get backend() {
      return current!.backend;
    },
    async run(model, feeds) {
      try {
        return await current!.run(model, feeds);
      } catch (e) {
        if (current!.backend !== 'webgpu' || (e as { code?: unknown }).code === 'DISPOSED') throw e;
        opts.log?.(`WebGPU run failed, switching to WASM: ${(e as Error).message}`);
        fallback ??= buildEngine('wasm', models, { ...opts, warmup: {} });
        const gpu = current!;
        current = await fallback;
        void gpu.dispose();
        return current.run(model, feeds);
      }
    },
    dispose: () => current!.dispose(),
  };
  return engine;
}
