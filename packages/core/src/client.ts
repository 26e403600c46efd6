/**
 * Browser entry: createRecognizer() starts the module worker, loads the models there
 * and returns the Recognizer. Inputs are turned into transferables on this side
 * (pixels and bytes move, they are not copied); all inference runs in the worker.
 */
import * as Comlink from 'comlink';
import type { ImageInput, Recognizer, RecognizerOptions } from './api.ts';
import { errors, PlateLensError } from './errors.ts';
import { parseImageString, wireFromUrl, type WireImage } from './image/input.ts';
import { CreateOptionsSchema, parseOptions } from './options.ts';
import type { Backend } from './runtime/engine.ts';
import { installErrorTransfer } from './runtime/transfer.ts';
import type { WorkerApi } from './runtime/worker-api.ts';

export interface BrowserRecognizerOptions extends RecognizerOptions {
  /** Bring your own worker (e.g. a bundler-specific URL); default: the package's worker. */
  worker?: Worker;
}

export async function createRecognizer(options: BrowserRecognizerOptions = {}): Promise<Recognizer> {
  installErrorTransfer();
  const { onProgress, worker: given, ...rest } = options;
  const opts = parseOptions(CreateOptionsSchema, rest);
  const modelBaseUrl = new URL(opts.modelBaseUrl ?? './models/', globalThis.location?.href).href;
  const worker = given ?? new Worker(new URL('./runtime/worker.ts', import.meta.url), { type: 'module', name: 'platelens' });
  const remote = Comlink.wrap<WorkerApi>(worker);
  let backend: Backend;
  try {
    ({ backend } = await remote.init(
      { options: { ...opts, modelBaseUrl } },
      onProgress ? Comlink.proxy(onProgress) : undefined,
    ));
  } catch (e) {
    worker.terminate();
    throw e;
  }
  let disposed = false;
  const call = async <T>(fn: () => Promise<T>): Promise<T> => {
    if (disposed) throw errors.disposed();
    try {
      return await fn();
    } finally {
      // a WebGPU failure may have moved the worker to WASM
      backend = await remote.backend().catch(() => backend);
    }
  };
  return {
    get backend() {
      return backend;
    },
    readVin: async (input, o) => {
      const wire = await toWire(input);
      return call(() => remote.readVin(Comlink.transfer(wire, transferables(wire)), o));
    },
    recognizePlate: async (input, o) => {
      const wire = await toWire(input);
      return call(() => remote.recognizePlate(Comlink.transfer(wire, transferables(wire)), o));
    },
    async dispose() {
      if (disposed) return;
      disposed = true;
      await remote.dispose().catch(() => undefined);
      remote[Comlink.releaseProxy]();
      worker.terminate();
    },
  };
}

function transferables(w: WireImage): Transferable[] {
  if (w.kind === 'bytes') return [w.bytes.buffer];
  if (w.kind === 'pixels') return [w.data.buffer];
  if (w.kind === 'bitmap') return [w.bitmap];
  return [];
}

const has = (name: string) => typeof (globalThis as Record<string, unknown>)[name] === 'function';

/**
 * Page-side inputs → WireImage. Buffers are copied once here, so transferring them
 * never detaches memory the caller still owns.
 */
export async function toWire(input: ImageInput): Promise<WireImage> {
  if (input == null) throw errors.missingImage();
  // strings are never resolved against the page: see parseImageString
  if (typeof input === 'string') return parseImageString(input);
  if (input instanceof URL) return wireFromUrl(input);
  if (input instanceof ArrayBuffer) return { kind: 'bytes', bytes: new Uint8Array(input.slice(0)) };
  if (input instanceof Uint8Array) return { kind: 'bytes', bytes: input.slice() };
  if (has('Blob') && input instanceof Blob) {
    if (input.size === 0) throw errors.missingImage();
    return { kind: 'bytes', bytes: new Uint8Array(await input.arrayBuffer()) };
  }
  if (has('ImageData') && input instanceof ImageData) {
    return { kind: 'pixels', data: input.data.slice(), width: input.width, height: input.height };
  }
  if (has('HTMLVideoElement') && input instanceof HTMLVideoElement) {
    if (input.readyState < 2 || input.videoWidth === 0) throw errors.invalidImage('video has no current frame yet');
    return { kind: 'bitmap', bitmap: await createImageBitmap(input) };
  }
  if (has('HTMLImageElement') && input instanceof HTMLImageElement) {
    if (!input.complete || input.naturalWidth === 0) throw errors.invalidImage('image element is not loaded');
    return { kind: 'bitmap', bitmap: await createImageBitmap(input) };
  }
  if (
    (has('ImageBitmap') && input instanceof ImageBitmap) ||
    (has('HTMLCanvasElement') && input instanceof HTMLCanvasElement) ||
    (has('OffscreenCanvas') && input instanceof OffscreenCanvas)
  ) {
    if (input.width === 0 || input.height === 0) throw errors.invalidImage(`image has no pixels (${input.width}×${input.height})`);
    return { kind: 'bitmap', bitmap: await createImageBitmap(input) };
  }
  if (typeof input === 'object' && 'data' in input && 'width' in input) {
    const d = input.data;
    return { kind: 'pixels', data: new Uint8ClampedArray(d).slice(), width: input.width, height: input.height };
  }
  throw new PlateLensError(400, 'INVALID_IMAGE', 'Invalid image data: unsupported input type');
}
