/**
 * onnxruntime sessions behind the Engine interface. The `ort` namespace is injected
 * (onnxruntime-web's wasm or webgpu build in the worker, onnxruntime-node in Node):
 * they share one API, so session bookkeeping and the run queue are written once.
 */
import type * as OrtWeb from 'onnxruntime-web';
import { errors, PlateLensError } from '../errors.ts';
import { SerialQueue, type Backend, type Engine, type Tensor } from './engine.ts';
import type { ProgressCallback } from './model-fetch.ts';

export type OrtModule = Pick<typeof OrtWeb, 'InferenceSession' | 'Tensor'>;
type Session = OrtWeb.InferenceSession;

export interface ModelBytes {
  name: string;
  bytes: Uint8Array;
  /** The manifest's file name, for progress events. */
  file?: string;
}

export interface SessionSetup {
  ort: OrtModule;
  backend: Backend;
  sessionOptions: OrtWeb.InferenceSession.SessionOptions;
}

/**
 * Session options every backend shares. Weight-only int8 models (DequantizeLinear on an
 * initializer, e.g. the plate reader) would otherwise be dequantized on every run: ORT keeps
 * QDQ nodes for its quantized kernels, and with no quantized activations none applies (the
 * reader ran 1.7–2.2× slower than fp16). Disabling QDQ handling lets constant folding turn them
 * into float weights once, at load.
 */
export const SHARED_SESSION_OPTIONS = {
  graphOptimizationLevel: 'all',
  extra: { session: { disable_quant_qdq: '1' } },
} as const satisfies OrtWeb.InferenceSession.SessionOptions;

/** `session` progress: `loaded` sessions of `total` built, one event as each model starts and one at the end. */
export async function createSessions(
  setup: SessionSetup,
  models: readonly ModelBytes[],
  onProgress?: ProgressCallback,
): Promise<Map<string, Session>> {
  const sessions = new Map<string, Session>();
  const total = models.length;
  try {
    for (const m of models) {
      onProgress?.({ stage: 'session', file: m.file ?? m.name, loaded: sessions.size, total });
      // ORT may take ownership of the buffer (wasm heap copy): pass a copy so a
      // later fallback can build sessions again from the original bytes.
      sessions.set(m.name, await setup.ort.InferenceSession.create(m.bytes.slice(), setup.sessionOptions));
    }
    if (total) onProgress?.({ stage: 'session', file: models[total - 1].file ?? models[total - 1].name, loaded: total, total });
  } catch (e) {
    await Promise.all([...sessions.values()].map((s) => s.release().catch(() => undefined)));
    throw new PlateLensError(
      500,
      'BACKEND_UNAVAILABLE',
      `Could not create ${setup.backend} session: ${(e as Error).message ?? e}`,
    );
  }
  return sessions;
}

export async function runSession(
  ort: OrtModule,
  session: Session,
  feeds: Record<string, Tensor>,
): Promise<Record<string, Tensor>> {
  const ortFeeds: Record<string, OrtWeb.Tensor> = {};
  for (const [k, t] of Object.entries(feeds)) ortFeeds[k] = new ort.Tensor('float32', t.data, t.dims as number[]);
  const res = await session.run(ortFeeds);
  const out: Record<string, Tensor> = {};
  for (const [k, t] of Object.entries(res)) {
    out[k] = { data: t.data as Float32Array, dims: t.dims };
    t.dispose?.();
  }
  return out;
}

/** A plain engine over one set of sessions. */
export function sessionEngine(setup: SessionSetup, sessions: Map<string, Session>): Engine {
  const queue = new SerialQueue();
  let disposed = false;
  return {
    backend: setup.backend,
    run(model, feeds) {
      if (disposed) return Promise.reject(errors.disposed());
      const s = sessions.get(model);
      if (!s) return Promise.reject(new PlateLensError(500, 'INTERNAL', `Model '${model}' is not loaded`));
      // runs queued before dispose() end typed, not with ORT's "Session already disposed"
      return queue.run(() => (disposed ? Promise.reject(errors.disposed()) : runSession(setup.ort, s, feeds)));
    },
    async dispose() {
      if (disposed) return;
      disposed = true;
      // released after the run in progress, never under it
      await queue.run(async () => {
        await Promise.all([...sessions.values()].map((s) => s.release().catch(() => undefined)));
        sessions.clear();
      });
    },
  };
}
