/**
 * The seam between vision code and the inference runtime. Task code (text detection,
 * recognition, plate detection) only sees `Engine.run(model, feeds)`; which
 * onnxruntime build, which execution provider and which thread runs it is the
 * runtime's business (ort-web.ts in the browser worker, ort-node.ts in Node).
 */
export type Backend = 'webgpu' | 'wasm' | 'cpu';
export type BackendPreference = 'auto' | 'webgpu' | 'wasm';

export interface Tensor {
  data: Float32Array;
  dims: readonly number[];
}

export interface Engine {
  /** The backend that runs now (may change from 'webgpu' to 'wasm' after a GPU failure). */
  readonly backend: Backend;
  run(model: string, feeds: Record<string, Tensor>): Promise<Record<string, Tensor>>;
  dispose(): Promise<void>;
}

/** Serialises async work: ORT sessions must not run concurrently. */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();
  run<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.tail.then(fn, fn);
    this.tail = next.catch(() => undefined);
    return next;
  }
}
