/**
 * Node entry: the same Recognizer API without a worker, on onnxruntime-node.
 * Models are read from `modelBaseUrl` (a directory path or file:/http: URL;
 * default: the @platelens/models package), verified against the manifest's sha256.
 */
import './zod-jitless.ts'; // first: before any schema is built
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ImageInput, RecognizerOptions, VideoRecognizer } from './api.ts';
import { errors, PlateLensError, toPlateLensError } from './errors.ts';
import { nodeDecoders } from './image/decode-node.ts';
import {
  fetchWithLimits,
  limitsFrom,
  materialize,
  notDetached,
  parseImageString,
  scaleBoxes,
  wireFromUrl,
  type DecodeHints,
  type Decoders,
  type WireImage,
} from './image/input.ts';
import { fetchUrlGuarded, type UrlPolicy } from './image/url-fetch-node.ts';
import { CreateOptionsSchema, parseOptions } from './options.ts';
import { availableTasks, modelsFor, RecognizerCore } from './recognizer-core.ts';
import { parseManifest } from './runtime/manifest.ts';
import { fetchManifestText, fetchModel, modelTiming, verifyModel } from './runtime/model-fetch.ts';
import { createNodeEngine } from './runtime/ort-node.ts';
import { makePlateTracker, makeVinTracker, type FrameIO } from './video/create-trackers.ts';
import { platesOrEmpty, readDecoded, vinOrNull } from './video/frame-read.ts';

export * from './index-shared.ts';

/** The folder of @platelens/models' manifest.json (a dependency; in this repo, a symlink into models/). */
function defaultModels(): URL {
  let manifest: string;
  try {
    manifest = createRequire(import.meta.url).resolve('@platelens/models/manifest.json');
  } catch {
    throw new PlateLensError(
      503,
      'MODEL_FETCH_FAILED',
      'No models: install @platelens/models (npm install @platelens/models) or pass modelBaseUrl',
    );
  }
  return new URL('./', pathToFileURL(manifest));
}

function baseUrlOf(s: string | undefined): URL {
  if (!s) return defaultModels();
  if (/^[a-z]+:/i.test(s)) return new URL(s.endsWith('/') ? s : s + '/');
  return pathToFileURL(s.endsWith('/') ? s : s + '/');
}

/** A model file or manifest from disk; a missing or unreadable file is a typed 503 naming the path. */
async function readLocal(url: URL, what: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(url));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'file not found (ENOENT)' : code === 'EISDIR' ? 'is a directory (EISDIR)' : (code ?? String(e));
    throw new PlateLensError(503, 'MODEL_FETCH_FAILED', `Could not read ${what} ${fileURLToPath(url)}: ${why}`);
  }
}

export interface NodeRecognizerOptions extends RecognizerOptions {
  /**
   * Fetch http(s) URL inputs. Off by default: on a server, a URL from a user would let
   * them make the server fetch its own network (SSRF). When on, only public addresses
   * are fetched (checked after DNS, on every redirect); see image/url-fetch-node.ts.
   */
  allowUrlFetch?: boolean;
  /** Origins ('http://10.0.0.5:8080') fetched even though private; implies URL inputs are on for them. */
  urlAllowlist?: string[];
  /** Your own fetch for URL inputs (its policy is yours); the byte cap and timeout still apply. */
  fetch?: typeof fetch;
}

function urlFetcher(o: NodeRecognizerOptions): Decoders['fetchUrl'] {
  if (o.fetch !== undefined && typeof o.fetch !== 'function') throw errors.invalidOptions('fetch: expected a function');
  if (o.allowUrlFetch !== undefined && typeof o.allowUrlFetch !== 'boolean') throw errors.invalidOptions('allowUrlFetch: expected a boolean');
  const custom = o.fetch;
  if (custom) return (url, limits) => fetchWithLimits(url, limits, custom);
  const allowOrigins = new Set<string>();
  for (const a of o.urlAllowlist ?? []) {
    let u: URL;
    try {
      u = new URL(a);
    } catch {
      throw errors.invalidOptions(`urlAllowlist: '${a}' is not an absolute URL`);
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw errors.invalidOptions(`urlAllowlist: '${a}' is not http(s)`);
    allowOrigins.add(u.origin);
  }
  const policy: UrlPolicy = { allowPublic: o.allowUrlFetch === true, allowOrigins };
  if (!policy.allowPublic && allowOrigins.size === 0) {
    return async () => {
      throw errors.urlNotAllowed('URL inputs are off in Node (pass allowUrlFetch: true, urlAllowlist or fetch to createRecognizer)');
    };
  }
  return (url, limits) => fetchUrlGuarded(url, limits, policy);
}

export async function createRecognizer(options: NodeRecognizerOptions = {}): Promise<VideoRecognizer> {
  const { onProgress, allowUrlFetch, urlAllowlist, fetch: customFetch, ...rest } = options;
  const opts = parseOptions(CreateOptionsSchema, rest);
  const fetchUrl = urlFetcher({ allowUrlFetch, urlAllowlist, fetch: customFetch });
  const limits = limitsFrom(opts);
  const base = baseUrlOf(opts.modelBaseUrl);
  const timing = modelTiming(opts);
  const manifestUrl = new URL('manifest.json', base);
  const manifest = parseManifest(
    base.protocol === 'file:'
      ? new TextDecoder().decode(await readLocal(manifestUrl, 'model manifest'))
      : await fetchManifestText(manifestUrl.href, timing),
    base.protocol === 'file:' ? fileURLToPath(manifestUrl) : manifestUrl.href,
  );
  const tasks = opts.tasks ?? availableTasks(manifest);
  const entries = modelsFor(manifest, tasks);
  const models = [];
  for (const e of entries) {
    let bytes: Uint8Array;
    if (base.protocol === 'file:') {
      bytes = await readLocal(new URL(e.file, base), 'model');
      onProgress?.({ stage: 'download', file: e.file, loaded: bytes.length, total: e.bytes });
      await verifyModel(e, bytes);
    } else {
      bytes = await fetchModel(base.href, e, onProgress, fetch, timing);
    }
    models.push({ name: e.name, file: e.file, bytes });
  }
  const engine = await createNodeEngine(models, opts.numThreads ?? 2, onProgress);
  const core = new RecognizerCore(engine, manifest, tasks);
  onProgress?.({ stage: 'ready', file: '', loaded: 1, total: 1 });
  const decoders = { ...(await nodeDecoders()), fetchUrl };

  const decode = async (input: ImageInput, hints?: DecodeHints) => materialize(await toWire(input), decoders, limits, hints);
  // the plate detector's input is scaled by libvips while decoding, not in JavaScript
  const plateHints = { previewSide: core.plateInputSide };
  let disposed = false;
  // video mode, in process: the same trackers as the browser's, reading frames on this thread
  const frames: FrameIO = {
    readPlate: (frame, o, roi) =>
      // a region of interest is cut from the full picture (readDecoded), so no preview then
      typed(async () => readDecoded(await decode(frame as ImageInput, roi ? undefined : plateHints), roi, (img) => platesOrEmpty(() => core.recognizePlate(img, o)))),
    readVin: (frame, o, roi) =>
      typed(async () => readDecoded(await decode(frame as ImageInput), roi, (img) => vinOrNull(() => core.readVin(img, o)))),
    release: () => undefined,
    assertOpen(task) {
      if (disposed) throw errors.disposed();
      if (!core.tasks.includes(task)) throw errors.invalidOptions(`'${task}' models were not loaded: create the recognizer with tasks including '${task}'`);
    },
  };
  return {
    createPlateTracker: (o) => makePlateTracker(frames, o),
    createVinTracker: (o) => makeVinTracker(frames, o),
    get backend() {
      return core.backend;
    },
    readVin: (input, o) =>
      typed(async () => {
        const img = await decode(input);
        return scaleBoxes(await core.readVin(img, o), img.sourceScale);
      }),
    recognizePlate: (input, o) =>
      typed(async () => {
        const img = await decode(input, plateHints);
        return scaleBoxes(await core.recognizePlate(img, o), img.sourceScale);
      }),
    dispose: () => {
      disposed = true;
      return core.dispose();
    },
  };
}

/** Every failure of a call is a PlateLensError (unknown ones 500 INTERNAL), as in the browser. */
async function typed<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw toPlateLensError(e);
  }
}

/** Node inputs → WireImage (bytes, pixels, a Blob's bytes, or a string to parse). */
export async function toWire(input: ImageInput): Promise<WireImage> {
  if (input == null) throw errors.missingImage();
  if (typeof input === 'string') return parseImageString(input);
  if (input instanceof URL) return wireFromUrl(input);
  if (input instanceof ArrayBuffer) return { kind: 'bytes', bytes: new Uint8Array(notDetached(input)) };
  if (input instanceof Uint8Array) {
    notDetached(input.buffer);
    return { kind: 'bytes', bytes: input };
  }
  if (typeof Blob === 'function' && input instanceof Blob) {
    if (input.size === 0) throw errors.missingImage();
    return { kind: 'bytes', bytes: new Uint8Array(await input.arrayBuffer()) };
  }
  if (typeof input === 'object' && 'data' in input && 'width' in input && 'height' in input) {
    const d = input.data as unknown;
    if (!(d instanceof Uint8ClampedArray || d instanceof Uint8Array)) {
      throw errors.invalidImage('pixel input needs data as a Uint8ClampedArray or Uint8Array (RGBA)');
    }
    notDetached(d.buffer);
    return { kind: 'pixels', data: new Uint8ClampedArray(d.buffer, d.byteOffset, d.byteLength), width: input.width, height: input.height };
  }
  throw errors.invalidImage(`unsupported input type in Node (${Object.prototype.toString.call(input)})`);
}
