/**
 * Browser entry: createRecognizer() starts the module worker, loads the models there
 * and returns the Recognizer. Inputs are turned into transferables on this side
 * (pixels and bytes move, they are not copied); all inference runs in the worker.
 */
import './zod-jitless.ts'; // first: before any schema is built
import * as Comlink from 'comlink';
import type { ImageInput, RecognizerOptions, VideoRecognizer } from './api.ts';
import { errors, PlateLensError, toPlateLensError } from './errors.ts';
import { notDetached, parseImageString, wireFromUrl, type WireImage } from './image/input.ts';
import { CreateOptionsSchema, parseOptions, PlateCallOptionsSchema, VinCallOptionsSchema } from './options.ts';
import type { Backend } from './runtime/engine.ts';
import { installErrorTransfer } from './runtime/transfer.ts';
import type { Answer, WorkerApi } from './runtime/worker-api.ts';
import { makePlateTracker, makeVinTracker, type FrameIO } from './video/create-trackers.ts';
import { frameTransferables, frameWire, releaseFrame } from './video/frame-wire.ts';
import { NO_PIXELS } from './video/session.ts';

export interface BrowserRecognizerOptions extends RecognizerOptions {
  /** Bring your own worker (e.g. a bundler-specific URL); default: the package's worker. */
  worker?: Worker;
}

export async function createRecognizer(options: BrowserRecognizerOptions = {}): Promise<VideoRecognizer> {
  installErrorTransfer();
  const { onProgress, worker: given, ...rest } = options;
  const opts = parseOptions(CreateOptionsSchema, rest);
  const modelBaseUrl = new URL(opts.modelBaseUrl ?? './models/', globalThis.location?.href).href;
  const worker = given ?? new Worker(new URL('./runtime/worker.ts', import.meta.url), { type: 'module', name: 'platelens' });
  const remote = Comlink.wrap<WorkerApi>(worker);
  const life = lifecycle(worker);
  let backend: Backend;
  let tasks: string[];
  try {
    ({ backend, tasks } = await life.track(
      remote.init({ options: { ...opts, modelBaseUrl } }, onProgress ? Comlink.proxy(onProgress) : undefined),
    ));
  } catch (e) {
    life.terminate();
    throw e;
  }
  let disposed = false;
  const call = async <T>(send: () => Promise<Answer<T>>): Promise<T> => {
    if (disposed) throw errors.disposed();
    // the backend comes back with each answer: no second round trip that could hang
    const answer = await life.track(send());
    backend = answer.backend;
    return answer.result;
  };
  // video mode: frames go to the worker as transferables, one in flight (the tracker's scheduler)
  const frames: FrameIO = {
    async readPlate(frame, o, roi) {
      const wire = await frameWire(frame, toWireTyped as never);
      if (wire === NO_PIXELS) return NO_PIXELS;
      return call(() => remote.recognizePlateFrame(Comlink.transfer(wire, frameTransferables(wire)), o, roi));
    },
    async readVin(frame, o, roi) {
      const wire = await frameWire(frame, toWireTyped as never);
      if (wire === NO_PIXELS) return NO_PIXELS;
      return call(() => remote.readVinFrame(Comlink.transfer(wire, frameTransferables(wire)), o, roi));
    },
    release: releaseFrame,
    assertOpen(task) {
      if (disposed || life.gone) throw errors.disposed();
      if (!tasks.includes(task)) throw errors.invalidOptions(`'${task}' models were not loaded: create the recognizer with tasks including '${task}'`);
    },
  };
  return {
    createPlateTracker: (o) => makePlateTracker(frames, o),
    createVinTracker: (o) => makeVinTracker(frames, o),
    get backend() {
      return backend;
    },
    readVin: async (input, o) => {
      if (disposed) throw errors.disposed();
      // parsed here too, so nothing uncloneable (a function in the options) is posted
      const opts = parseOptions(VinCallOptionsSchema, o);
      const wire = await toWireTyped(input);
      return call(() => remote.readVin(Comlink.transfer(wire, transferables(wire)), opts));
    },
    recognizePlate: async (input, o) => {
      if (disposed) throw errors.disposed();
      const opts = parseOptions(PlateCallOptionsSchema, o);
      const wire = await toWireTyped(input);
      return call(() => remote.recognizePlate(Comlink.transfer(wire, transferables(wire)), opts));
    },
    async dispose() {
      if (disposed) return;
      disposed = true;
      // in-flight calls end now, typed, instead of waiting on a worker that is going away
      life.rejectAll(errors.disposed());
      if (!life.gone) await withTimeout(remote.dispose(), DISPOSE_GRACE_MS).catch(() => undefined);
      remote[Comlink.releaseProxy]();
      life.terminate();
    },
  };
}

/** How long dispose() lets the worker free its sessions before terminating it anyway. */
const DISPOSE_GRACE_MS = 1000;

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('timeout')), ms);
    p.then(resolve, reject).finally(() => clearTimeout(t));
  });
}

/**
 * Comlink never rejects a pending call when its worker dies, so every call is raced
 * against the worker's fate: an uncaught error or unreadable message in the worker, a
 * terminate() (ours or the app's, on a worker it passed in) or dispose() rejects every
 * pending promise with a typed error at once.
 */
function lifecycle(worker: Worker) {
  const pending = new Set<(e: PlateLensError) => void>();
  let gone: PlateLensError | null = null;
  const nativeTerminate = worker.terminate.bind(worker);
  const rejectAll = (e: PlateLensError) => {
    for (const r of [...pending]) r(e);
    pending.clear();
  };
  const die = (e: PlateLensError) => {
    if (gone) return;
    gone = e;
    nativeTerminate(); // its state is unknown after an uncaught error: do not reuse it
    rejectAll(e);
  };
  worker.addEventListener('error', (ev) => {
    ev.preventDefault();
    die(errors.workerGone(`uncaught error in the worker: ${ev.message || 'the worker script failed to load'}`));
  });
  worker.addEventListener('messageerror', () => die(errors.workerGone('a message from the worker could not be read')));
  worker.terminate = () => die(errors.workerGone('the worker was terminated'));
  return {
    get gone() {
      return gone !== null;
    },
    rejectAll,
    terminate: () => die(errors.disposed()),
    track<T>(p: Promise<T>): Promise<T> {
      if (gone) {
        p.catch(() => undefined);
        return Promise.reject(gone);
      }
      return new Promise<T>((resolve, reject) => {
        pending.add(reject);
        p.then(resolve, (e) => reject(typedCallError(e))).finally(() => pending.delete(reject));
      });
    },
  };
}

/** Errors from posting or from the worker → PlateLensError (DataCloneError: the input cannot be sent). */
function typedCallError(e: unknown): PlateLensError {
  if (e instanceof PlateLensError) return e;
  const name = (e as { name?: unknown })?.name;
  if (name === 'DataCloneError') {
    return errors.invalidImage(`the input could not be sent to the worker (${(e as Error).message})`);
  }
  return toPlateLensError(e);
}

/** toWire, with any runtime failure (detached buffer, tainted canvas, …) typed. */
async function toWireTyped(input: ImageInput): Promise<WireImage> {
  try {
    return await toWire(input);
  } catch (e) {
    if (e instanceof PlateLensError) throw e;
    throw errors.invalidImage(`could not read the input (${(e as Error)?.name ?? 'Error'}: ${(e as Error)?.message ?? e})`);
  }
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
  if (input instanceof ArrayBuffer) return { kind: 'bytes', bytes: new Uint8Array(notDetached(input).slice(0)) };
  if (input instanceof Uint8Array) return { kind: 'bytes', bytes: (notDetached(input.buffer), input.slice()) };
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
    const d = input.data as unknown;
    if (!(d instanceof Uint8ClampedArray || d instanceof Uint8Array)) {
      throw errors.invalidImage('pixel input needs data as a Uint8ClampedArray or Uint8Array (RGBA)');
    }
    notDetached(d.buffer);
    return { kind: 'pixels', data: new Uint8ClampedArray(d).slice(), width: input.width, height: input.height };
  }
  throw new PlateLensError(400, 'INVALID_IMAGE', 'Invalid image data: unsupported input type');
}
