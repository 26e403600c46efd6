// The plate pipeline's stages timed in this page (onnxruntime-web WASM), with the worker's own
// decoders and calls, for `pnpm bench:stages` (tools/bench/plate-stages.ts). Loaded on demand
// so tests never pay for it. Main thread rather than the worker: the same code and wasm, and a
// page can be timed without a message per stage.
import { browserDecoders } from '../../packages/core/src/image/decode-browser.ts';
import { openPicture } from '../../packages/core/src/image/input.ts';
import { FloatPool } from '../../packages/core/src/image/float-pool.ts';
import { letterbox } from '../../packages/core/src/plate/letterbox.ts';
import { boxIn, boxTilt, cropFootprint, oneRowCrop } from '../../packages/core/src/plate/plate-crop.ts';
import { detectorSpec, readerSpec } from '../../packages/core/src/plate/plate-spec.ts';
import { detectAt, detectPlates, plateModels, readPlateBoxes, recognizePlate } from '../../packages/core/src/plate/recognize-plate.ts';
import type { Engine } from '../../packages/core/src/runtime/engine.ts';
import { findModel, ManifestSchema } from '../../packages/core/src/runtime/manifest.ts';
import { createWebEngine } from '../../packages/core/src/runtime/ort-web.ts';
import { vinStages } from '../../tools/bench/vin-stage-timer.ts';

export type StageTimes = Record<string, number[]>;

/**
 * Per photo (base64 bytes), after one warm-up pass over all of them: ms per stage, and the
 * reader crops and boxes per photo. Stage names match the Node rows of plate-stages.ts.
 */
export async function benchPlateStages(photos: string[], threads: number): Promise<{ times: StageTimes; crops: number; boxes: number }> {
  const manifest = ManifestSchema.parse(await (await fetch('/manifest.json')).json());
  const det = findModel(manifest, 'plate-detector')!;
  const rd = findModel(manifest, 'plate-reader')!;
  const bytesOf = async (file: string) => new Uint8Array(await (await fetch(`/${file}`)).arrayBuffer());
  const ort = await createWebEngine(
    [
      { name: det.name, bytes: await bytesOf(det.file) },
      { name: rd.name, bytes: await bytesOf(rd.file) },
    ],
    { backend: 'wasm', numThreads: threads, warmup: {} },
  );
  let readerCrops = 0;
  const engine: Engine = {
    get backend() {
      return ort.backend;
    },
    run: (model, feeds) => {
      if (model === rd.name) readerCrops += Object.values(feeds)[0].dims[0];
      return ort.run(model, feeds);
    },
    dispose: () => ort.dispose(),
  };
  const m = plateModels(detectorSpec(det), readerSpec(rd));
  const side = m.detector.input.size;
  const times: StageTimes = { decode: [], letterbox: [], 'detector (incl. letterbox)': [], 'crops + tilt': [], 'reader + layout': [], total: [] };
  const time = async <T>(acc: number[], fn: () => Promise<T> | T): Promise<T> => {
    const t = performance.now();
    const r = await fn();
    acc.push(performance.now() - t);
    return r;
  };
  // letterbox as detectAt calls it: into a reused buffer
  const pool = new FloatPool();
  let crops = 0, boxes = 0;
  const bytes = photos.map((b) => Uint8Array.from(atob(b), (c) => c.charCodeAt(0)));
  for (let rep = 0; rep < 2; rep++) {
    const keep = rep === 1; // the first pass warms up (wasm tier-up, ORT arenas)
    for (const b of bytes) {
      const s: StageTimes = keep ? times : Object.fromEntries(Object.keys(times).map((k) => [k, []]));
      // as the worker opens a picture for plates: the bitmap kept, a preview the canvas scaled
      const pic = await time(s.decode, () => openPicture({ kind: 'bytes', bytes: b }, browserDecoders, undefined, { previewSide: side }));
      try {
        await time(s.letterbox, () => pool.give(letterbox(pic, side, m.detector.input.pad, undefined, (n) => pool.take(n)).data));
        await time(s['detector (incl. letterbox)'], () => detectAt(engine, m, pic, m.detector.decode.scoreThreshold, side));
        const found = (await detectPlates(engine, m, pic, {})).map((d) => d.box);
        // each plate's footprint drawn from the bitmap, then cut and its tilt measured (as readPlateBoxes)
        await time(s['crops + tilt'], () =>
          found.forEach((box) => {
            const patch = pic.region(cropFootprint(box, m.reader.input, pic.width, pic.height));
            const b = boxIn(box, patch.x, patch.y);
            boxTilt(oneRowCrop(patch.pixels, b, m.reader.input), b, m.reader.input);
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
        pic.close();
      }
    }
  }
  await engine.dispose();
  return { times, crops: crops / photos.length, boxes: boxes / photos.length };
}

/**
 * The VIN pipeline in this page: per photo, the decode, each model's summed run time (by name)
 * and the whole `readVin` call; what is neither model nor decode is JavaScript and the barcode
 * reader. After one warm-up pass over all the photos.
 */
export async function benchVinStages(photos: string[], threads: number): ReturnType<typeof vinStages> {
  const { RecognizerCore, modelsFor } = await import('../../packages/core/src/recognizer-core.ts');
  const manifest = ManifestSchema.parse(await (await fetch('/manifest.json')).json());
  const models = modelsFor(manifest, ['vin']);
  const ort = await createWebEngine(
    await Promise.all(models.map(async (m) => ({ name: m.name, bytes: new Uint8Array(await (await fetch(`/${m.file}`)).arrayBuffer()) }))),
    { backend: 'wasm', numThreads: threads, warmup: {} },
  );
  return vinStages(ort, (e) => new RecognizerCore(e, manifest, ['vin']), photos.map((b) => Uint8Array.from(atob(b), (c) => c.charCodeAt(0))), (b) => browserDecoders.decodeBytes(b));
}
