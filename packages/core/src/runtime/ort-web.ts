/**
 * Browser runtime: the only module that loads onnxruntime-web (through ort-web-wasm.ts and
 * ort-web-webgpu.ts, which only re-export it). Picks the backend
 * (WebGPU when an adapter exists and the sessions build and warm up, else WASM),
 * and falls back from WebGPU to WASM for good when a run fails on the GPU.
 * Runs inside our own module worker, so ORT's proxy worker stays off.
 */
import type * as OrtWeb from 'onnxruntime-web';
import { PlateLensError } from '../errors.ts';
import type { Backend, BackendPreference, Engine, Tensor } from './engine.ts';
import type { ProgressCallback } from './model-fetch.ts';
import { createSessions, sessionEngine, SHARED_SESSION_OPTIONS, type ModelBytes, type OrtModule, type SessionSetup } from './ort-sessions.ts';

export interface WebEngineOptions {
  backend: BackendPreference;
  /** WASM threads; default: min(4, cores) when cross-origin isolated, else 1. */
  numThreads?: number;
  /** Where ORT's .wasm/.mjs files live, when not bundled next to the worker. */
  wasmPaths?: string;
  /** Feeds to run once per model: compiles WebGPU shaders, tiers up WASM kernels, proves the backend works. */
  warmup: Record<string, Record<string, Tensor>>;
  /** Smaller feeds for a software WebGPU adapter (taken only when asked for): proves it works, minutes faster. */
  smokeTest?: Record<string, Record<string, Tensor>>;
  log?: (msg: string) => void;
  /** Gets the `session` stage while sessions are built. */
  onProgress?: ProgressCallback;
}

export function defaultThreads(): number {
  const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
  const cores = (globalThis.navigator?.hardwareConcurrency as number | undefined) ?? 1;
  return isolated ? Math.max(1, Math.min(4, cores)) : 1;
}

interface AdapterLike {
  isFallbackAdapter?: boolean;
  info?: { isFallbackAdapter?: boolean };
}

/** 'none', or whether the adapter is a software one (Chromium's SwiftShader: far slower than WASM). */
async function webGpuAdapter(): Promise<'none' | 'hardware' | 'fallback'> {
  const gpu = (globalThis.navigator as { gpu?: { requestAdapter(): Promise<AdapterLike | null> } } | undefined)?.gpu;
  if (!gpu) return 'none';
  try {
    const a = await gpu.requestAdapter();
    if (!a) return 'none';
    return a.isFallbackAdapter === true || a.info?.isFallbackAdapter === true ? 'fallback' : 'hardware';
  } catch {
    return 'none';
  }
}

/**
 * Whether ORT may start WASM threads here. Its thread workers load the script ORT was bundled
 * into; if that is this worker's own script (an iife/classic worker bundle), they would run our
 * worker code and hang session creation forever. Then use 1 thread (no thread workers).
 */
export function threadsWork(ortScriptUrl: string, workerUrl: string | undefined): boolean {
  if (!workerUrl) return true;
  const strip = (u: string) => u.replace(/[?#].*$/, '');
  return strip(ortScriptUrl) !== strip(workerUrl);
}

async function setupFor(backend: Exclude<Backend, 'cpu'>, opts: WebEngineOptions): Promise<SessionSetup> {
  const mod = backend === 'webgpu' ? await import('./ort-web-webgpu.ts') : await import('./ort-web-wasm.ts');
  const ort = mod as unknown as typeof OrtWeb;
  ort.env.wasm.proxy = false;
  let threads = opts.numThreads ?? defaultThreads();
  if (threads > 1 && !threadsWork(mod.scriptUrl, globalThis.location?.href)) {
    opts.log?.(
      `onnxruntime-web is bundled into the worker's own script (a classic/iife worker build): using 1 WASM thread. ` +
        `For threads, build workers as ES modules (Vite: worker: { format: 'es' }).`,
    );
    threads = 1;
  }
  ort.env.wasm.numThreads = threads;
  if (opts.wasmPaths) ort.env.wasm.wasmPaths = opts.wasmPaths;
  ort.env.logLevel = 'error';
  return {
    ort: ort as unknown as OrtModule,
    backend,
    sessionOptions: {
      executionProviders: [backend],
      ...SHARED_SESSION_OPTIONS,
    },
  };
}

async function buildEngine(backend: Exclude<Backend, 'cpu'>, models: readonly ModelBytes[], opts: WebEngineOptions, software = false): Promise<Engine> {
  const setup = await setupFor(backend, opts);
  const engine = sessionEngine(setup, await createSessions(setup, models, opts.onProgress));
  try {
    for (const [model, feeds] of Object.entries((software && opts.smokeTest) || opts.warmup)) await engine.run(model, feeds);
  } catch (e) {
    await engine.dispose();
    throw new PlateLensError(500, 'BACKEND_UNAVAILABLE', `${backend} warm-up failed: ${(e as Error).message ?? e}`);
  }
  return engine;
}

export async function createWebEngine(models: readonly ModelBytes[], opts: WebEngineOptions): Promise<Engine> {
  const adapter = opts.backend === 'wasm' ? 'none' : await webGpuAdapter();
  if (opts.backend === 'webgpu' && adapter === 'none') {
    throw new PlateLensError(500, 'BACKEND_UNAVAILABLE', "WebGPU is not available here: use backend 'auto' or 'wasm'");
  }
  // 'auto' never takes a software adapter; 'webgpu' asked for it explicitly
  const tryGpu = adapter === 'hardware' || (adapter === 'fallback' && opts.backend === 'webgpu');
  if (adapter === 'fallback' && !tryGpu) opts.log?.('WebGPU adapter is a software fallback: using WASM');
  let current: Engine | null = null;
  if (tryGpu) {
    try {
      current = await buildEngine('webgpu', models, opts, adapter === 'fallback');
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
        fallback ??= buildEngine('wasm', models, { ...opts, warmup: {}, onProgress: undefined });
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
