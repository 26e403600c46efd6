/**
 * The module Web Worker: owns the onnxruntime-web sessions and runs the pipeline off
 * the main thread. Exposed with comlink; every call decodes its transferred image
 * here, so a bad image is a typed error and the worker keeps serving.
 */
import '../zod-jitless.ts'; // first: before any schema is built
import * as Comlink from 'comlink';
import { errors } from '../errors.ts';
import { browserDecoders } from '../image/decode-browser.ts';
import { DEFAULT_LIMITS, limitsFrom, materialize, openPicture, scaleBoxes } from '../image/input.ts';
import { availableTasks, modelsFor, RecognizerCore, warmupFeeds } from '../recognizer-core.ts';
import { parseManifest } from './manifest.ts';
import { fetchManifestText, fetchModel, modelTiming } from './model-fetch.ts';
import { fetchModelCached } from './model-cache.ts';
import { createWebEngine } from './ort-web.ts';
import { installErrorTransfer } from './transfer.ts';
import type { WorkerApi } from './worker-api.ts';
import { readFrameInWorker } from '../video/frame-decode-browser.ts';
import { platesOrEmpty, vinOrNull } from '../video/frame-read.ts';

installErrorTransfer();

let core: RecognizerCore | null = null;
let limits = DEFAULT_LIMITS;

const ready = () => {
  if (!core) throw errors.disposed();
  return core;
};

const api: WorkerApi = {
  async init({ options }, onProgress) {
    const base = new URL(options.modelBaseUrl, self.location.href).href;
    const timing = modelTiming(options);
    const manifestUrl = new URL('manifest.json', base).href;
    const manifest = parseManifest(await fetchManifestText(manifestUrl, timing), manifestUrl);
    const tasks = options.tasks ?? availableTasks(manifest);
    const entries = modelsFor(manifest, tasks);
    const models = [];
    const log = (m: string) => console.warn(`[platelens] ${m}`);
    for (const e of entries) {
      const bytes =
        options.useBrowserCache === false
          ? await fetchModel(base, e, onProgress, fetch, timing)
          : await fetchModelCached(base, e, onProgress, timing, log);
      models.push({ name: e.name, file: e.file, bytes });
    }
    const engine = await createWebEngine(models, {
      backend: options.backend,
      numThreads: options.numThreads,
      wasmPaths: options.wasmPaths,
      warmup: warmupFeeds(manifest, tasks),
      smokeTest: warmupFeeds(manifest, tasks, { small: true }),
      log: (m) => console.warn(`[platelens] ${m}`),
      onProgress,
    });
    core = new RecognizerCore(engine, manifest, tasks);
    limits = limitsFrom(options);
    onProgress?.({ stage: 'ready', file: '', loaded: 1, total: 1 });
    return { backend: core.backend, tasks: [...tasks] };
  },
  async readVin(image, options) {
    const c = ready();
    const img = await materialize(image, browserDecoders, limits);
    const result = scaleBoxes(await c.readVin(img, options), img.sourceScale);
    return { result, backend: c.backend };
  },
  async recognizePlate(image, options) {
    const c = ready();
    // the bitmap stays open for the call: the detector preview and the plate regions are drawn from it
    const pic = await openPicture(image, browserDecoders, limits, { previewSide: c.plateInputSide });
    try {
      const result = scaleBoxes(await c.recognizePlate(pic, options), pic.sourceScale);
      return { result, backend: c.backend };
    } finally {
      pic.close();
    }
  },
  async recognizePlateFrame(frame, options, roi) {
    const c = ready();
    const result = await readFrameInWorker(frame, roi, limits, (img) => platesOrEmpty(() => c.recognizePlate(img, options)), {
      previewSide: c.plateInputSide,
    });
    return { result, backend: c.backend };
  },
  async readVinFrame(frame, options, roi) {
    const c = ready();
    const result = await readFrameInWorker(frame, roi, limits, (img) => vinOrNull(() => c.readVin(img, options)));
    return { result, backend: c.backend };
  },
  backend: () => ready().backend,
  async dispose() {
    await core?.dispose();
    core = null;
  },
};

Comlink.expose(api);
