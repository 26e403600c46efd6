/**
 * The task object behind both entry points (browser worker and Node): owns the
 * engine, turns RawImages into CarsXE responses. Knows nothing about threads,
 * transfer or which onnxruntime runs underneath.
 */
import { errors } from './errors.ts';
import type { PixelSource } from './image/pixel-source.ts';
import type { RawImage } from './image/raw-image.ts';
import { parseOptions, PlateCallOptionsSchema, VinCallOptionsSchema, type PlateCallOptions, type VinCallOptions } from './options.ts';
import type { Engine, Tensor } from './runtime/engine.ts';
import { findModel, TASK_MODELS, type Manifest, type Task } from './runtime/manifest.ts';
import type { PlateResponse, VinResponse } from './schemas.ts';
import { lineReaderFrom } from './text/line-reader-spec.ts';
import { warmupFeed } from './text/recognize-text.ts';
import { COARSE_TO_FINE, readVin, type VinReaders } from './vin/read-vin.ts';
import { detectorSpec, readerSpec } from './plate/plate-spec.ts';
import { PLATE_DETECTOR, PLATE_READER, plateModels, recognizePlate, type PlateModels } from './plate/recognize-plate.ts';

/** Tasks whose models the manifest lists (the default set to load). */
export function availableTasks(manifest: Manifest): Task[] {
  return (Object.keys(TASK_MODELS) as Task[]).filter((t) => TASK_MODELS[t].every((m) => findModel(manifest, m)));
}

export function modelsFor(manifest: Manifest, tasks: readonly Task[]) {
  const names = [...new Set(tasks.flatMap((t) => TASK_MODELS[t]))];
  return names.map((n) => {
    const m = findModel(manifest, n);
    if (!m) throw errors.invalidOptions(`the model manifest has no '${n}' model (needed for ${tasks.join(', ')})`);
    return m;
  });
}

/**
 * Feeds that run every model once at the sizes real calls use (a 16:9 frame at each detector's
 * input side, two plate crops), so the first real call runs near steady speed: with 64×64 feeds
 * the first calls in Chromium WASM ran 2–6× slower (V8 compiles and tiers up the wasm kernels and
 * ORT sizes its arenas on first use at each shape). Also the WebGPU shader compile + smoke test.
 */
export function warmupFeeds(manifest: Manifest, tasks: readonly Task[], { small = false } = {}): Record<string, Record<string, Tensor>> {
  const feeds: Record<string, Record<string, Tensor>> = {};
  const frame = (name: string, full: number) => {
    const side = small ? 64 : full; // small: a smoke test (software WebGPU takes minutes at real sizes)
    const h = Math.ceil((side * 9) / 16 / 32) * 32;
    return { [name]: { data: new Float32Array(3 * h * side), dims: [1, 3, h, side] } };
  };
  if (tasks.includes('vin')) {
    const r = vinReadersFrom(manifest);
    feeds['text-det'] = frame('x', COARSE_TO_FINE[0]);
    feeds[r.general.model] = warmupFeed(r.general);
    if (r.fast) feeds[r.fast.model] = warmupFeed(r.fast);
  }
  if (tasks.includes('plate')) {
    const m = plateModelsFrom(manifest);
    const r = m.reader.input;
    feeds[PLATE_DETECTOR] = frame(m.detector.input.name, m.detector.input.size);
    const n = small ? 1 : 2;
    feeds[PLATE_READER] = { [r.name]: { data: new Float32Array(n * 3 * r.height * r.width), dims: [n, 3, r.height, r.width] } };
  }
  return feeds;
}

function vinReadersFrom(manifest: Manifest): VinReaders {
  return { fast: lineReaderFrom(findModel(manifest, 'vin-reader')!, 2), general: lineReaderFrom(findModel(manifest, 'text-rec')!) };
}

function plateModelsFrom(manifest: Manifest): PlateModels {
  return plateModels(detectorSpec(findModel(manifest, PLATE_DETECTOR)!), readerSpec(findModel(manifest, PLATE_READER)!));
}

export class RecognizerCore {
  private readonly vin: VinReaders | null;
  private readonly plate: PlateModels | null;
  private disposed = false;
  private readonly engine: Engine;
  readonly tasks: readonly Task[];

  constructor(engine: Engine, manifest: Manifest, tasks: readonly Task[]) {
    this.engine = engine;
    this.tasks = tasks;
    this.vin = tasks.includes('vin') ? vinReadersFrom(manifest) : null;
    // plates borrow the VIN task's general recogniser for state names, when it is loaded
    this.plate = tasks.includes('plate') ? { ...plateModelsFrom(manifest), ...(this.vin ? { words: this.vin.general } : {}) } : null;
  }

  get backend() {
    return this.engine.backend;
  }

  /** The plate detector's input side (decoders prepare a preview of that size), if plates are loaded. */
  get plateInputSide(): number | undefined {
    return this.plate?.detector.input.size;
  }

  async readVin(img: RawImage, options?: VinCallOptions): Promise<VinResponse> {
    const opts = parseOptions(VinCallOptionsSchema, options);
    this.assertReady('vin');
    return readVin(this.engine, this.vin!, img, opts);
  }

  async recognizePlate(img: RawImage | PixelSource, options?: PlateCallOptions): Promise<PlateResponse> {
    const opts = parseOptions(PlateCallOptionsSchema, options);
    this.assertReady('plate');
    return recognizePlate(this.engine, this.plate!, img, opts);
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.engine.dispose();
  }

  private assertReady(task: Task) {
    if (this.disposed) throw errors.disposed();
    if (!this.tasks.includes(task)) {
      throw errors.invalidOptions(`'${task}' models were not loaded: create the recognizer with tasks including '${task}'`);
    }
  }
}
