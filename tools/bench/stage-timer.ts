/**
 * The pipelines timed stage by stage, shared by the Node benchmarks (tools/bench/plate-stages.ts,
 * vin-stages.ts) and the harness page (tests/harness/stage-bench.ts), so both time the same
 * calls. Browser-safe: no Node imports. Each runs a warm-up pass over the photos first.
 */
import type { PixelSource } from '../../packages/core/src/image/pixel-source.ts';
import { asSource } from '../../packages/core/src/image/pixel-source.ts';
import { FloatPool } from '../../packages/core/src/image/float-pool.ts';
import type { RawImage } from '../../packages/core/src/image/raw-image.ts';
import { letterbox } from '../../packages/core/src/plate/letterbox.ts';
import { boxIn, boxTilt, cropFootprint, oneRowCrop } from '../../packages/core/src/plate/plate-crop.ts';
import { detectAt, detectPlates, readPlateBoxes, recognizePlate, type PlateModels } from '../../packages/core/src/plate/recognize-plate.ts';
import type { Engine } from '../../packages/core/src/runtime/engine.ts';

export type StageTimes = Record<string, number[]>;

async function time<T>(acc: number[], fn: () => Promise<T> | T): Promise<T> {
  const t = performance.now();
  const r = await fn();
  acc.push(performance.now() - t);
  return r;
}

/**
 * The plate pipeline: each stage timed on its own call of the pipeline's functions, and the
 * whole recognizePlate call separately (not the sum: the reader runs once per photo on every
 * box); the reader crops and boxes per photo. `open` decodes as the platform's recognizer does.
 */
export async function plateStages(
  ort: Engine,
  m: PlateModels,
  readerModel: string,
  photos: Uint8Array[],
  open: (b: Uint8Array) => Promise<(RawImage | PixelSource) & { close?(): void }>,
): Promise<{ times: StageTimes; crops: number; boxes: number }> {
  let readerCrops = 0;
  const engine: Engine = {
    get backend() {
      return ort.backend;
    },
    run: (model, feeds) => {
      if (model === readerModel) readerCrops += Object.values(feeds)[0].dims[0];
      return ort.run(model, feeds);
    },
    dispose: () => ort.dispose(),
  };
  const side = m.detector.input.size;
  const times: StageTimes = { decode: [], letterbox: [], 'detector (incl. letterbox)': [], 'crops + tilt': [], 'reader + layout': [], total: [] };
  // letterbox as detectAt calls it: into a reused buffer
  const pool = new FloatPool();
  let crops = 0, boxes = 0;
  for (let rep = 0; rep < 2; rep++) {
    const keep = rep === 1; // the first pass warms up (V8 and wasm tier-up, ORT arenas)
    for (const b of photos) {
      const s: StageTimes = keep ? times : Object.fromEntries(Object.keys(times).map((k) => [k, []]));
      const pic = await time(s.decode, () => open(b));
      try {
        await time(s.letterbox, () => pool.give(letterbox(pic, side, m.detector.input.pad, undefined, (n) => pool.take(n)).data));
        await time(s['detector (incl. letterbox)'], () => detectAt(engine, m, pic, m.detector.decode.scoreThreshold, side));
        const found = (await detectPlates(engine, m, pic, {})).map((d) => d.box);
        // each plate's footprint read from the picture, cut and its tilt measured (as readPlateBoxes)
        const src = asSource(pic);
        await time(s['crops + tilt'], () =>
          found.forEach((box) => {
            const patch = src.region(cropFootprint(box, m.reader.input, src.width, src.height));
            const local = boxIn(box, patch.x, patch.y);
            boxTilt(oneRowCrop(patch.pixels, local, m.reader.input), local, m.reader.input);
          }),
        );
        const before = readerCrops;
        await time(s['reader + layout'], () => readPlateBoxes(engine, m, pic, found));
        const n = readerCrops - before;
        await time(s.total, () => recognizePlate(engine, m, pic, {}).catch(() => null));
        if (keep) {
          crops += n;
          boxes += found.length;
        }
      } finally {
        pic.close?.();
      }
    }
  }
  return { times, crops: crops / photos.length, boxes: boxes / photos.length };
}

/**
 * The VIN pipeline: per photo, the decode, each model's summed run time (the engine wrapped)
 * and the whole readVin call; the rest is JavaScript and the barcode reader.
 */
export async function vinStages(
  ort: Engine,
  coreOf: (e: Engine) => { readVin(img: RawImage): Promise<unknown> },
  photos: Uint8Array[],
  decode: (b: Uint8Array) => Promise<RawImage>,
): Promise<{ times: StageTimes; runs: Record<string, number> }> {
  let current: Record<string, number> = {};
  const counts: Record<string, number> = {};
  const engine: Engine = {
    get backend() {
      return ort.backend;
    },
    run: async (model, feeds) => {
      const t = performance.now();
      try {
        return await ort.run(model, feeds);
      } finally {
        current[model] = (current[model] ?? 0) + performance.now() - t;
        counts[model] = (counts[model] ?? 0) + 1;
      }
    },
    dispose: () => ort.dispose(),
  };
  const core = coreOf(engine);
  const names = ['text-det', 'vin-reader', 'text-rec'];
  const times: StageTimes = { decode: [], ...Object.fromEntries(names.map((n) => [n, []])), 'JS + barcodes': [], readVin: [] };
  for (let rep = 0; rep < 2; rep++) {
    const keep = rep === 1; // the first pass warms up
    if (keep) for (const k of Object.keys(counts)) delete counts[k];
    for (const b of photos) {
      let t = performance.now();
      const img = await decode(b);
      const dec = performance.now() - t;
      current = {};
      t = performance.now();
      await core.readVin(img).catch(() => null);
      const total = performance.now() - t;
      if (!keep) continue;
      times.decode.push(dec);
      for (const n of names) times[n].push(current[n] ?? 0);
      times['JS + barcodes'].push(total - names.reduce((a, n) => a + (current[n] ?? 0), 0));
      times.readVin.push(total);
    }
  }
  await engine.dispose();
  return { times, runs: Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, v / photos.length])) };
}
