// The plate and VIN pipelines' stages timed in this page (onnxruntime-web WASM), with the worker's
// own decoders, for `pnpm bench:stages` and `pnpm bench:stages:vin` (the timing itself is
// tools/bench/stage-timer.ts, shared with Node). Loaded on demand so tests never pay for it. Main
// thread rather than the worker: the same code and wasm, and a page can be timed without a message
// per stage.
import { browserDecoders } from '../../packages/core/src/image/decode-browser.ts';
import { openPicture } from '../../packages/core/src/image/input.ts';
import { detectorSpec, readerSpec } from '../../packages/core/src/plate/plate-spec.ts';
import { plateModels } from '../../packages/core/src/plate/recognize-plate.ts';
import { findModel, ManifestSchema } from '../../packages/core/src/runtime/manifest.ts';
import { createWebEngine } from '../../packages/core/src/runtime/ort-web.ts';
import { plateStages, vinStages } from '../../tools/bench/stage-timer.ts';

/** The plate stages in this page (tools/bench/stage-timer.ts), decoded as the worker opens a picture for plates. */
export async function benchPlateStages(photos: string[], threads: number): ReturnType<typeof plateStages> {
  const manifest = ManifestSchema.parse(await (await fetch('/manifest.json')).json());
  const det = findModel(manifest, 'plate-detector')!;
  const rd = findModel(manifest, 'plate-reader')!;
  const ort = await createWebEngine(await Promise.all([det, rd].map(async (e) => ({ name: e.name, bytes: await bytesOf(e.file) }))), {
    backend: 'wasm',
    numThreads: threads,
    warmup: {},
  });
  const m = plateModels(detectorSpec(det), readerSpec(rd));
  try {
    // the bitmap kept open, a preview the canvas scaled, plate regions drawn from the bitmap
    return await plateStages(ort, m, rd.name, photos.map(fromBase64), (b) =>
      openPicture({ kind: 'bytes', bytes: b }, browserDecoders, undefined, { previewSide: m.detector.input.size }),
    );
  } finally {
    await ort.dispose();
  }
}

const bytesOf = async (file: string) => new Uint8Array(await (await fetch(`/${file}`)).arrayBuffer());
const fromBase64 = (b: string) => Uint8Array.from(atob(b), (c) => c.charCodeAt(0));

/**
 * The VIN pipeline in this page: per photo, the decode, each model's summed run time (by name)
 * and the whole `readVin` call; what is neither model nor decode is JavaScript and the barcode
 * reader. After one warm-up pass over all the photos.
 */
export async function benchVinStages(photos: string[], threads: number): ReturnType<typeof vinStages> {
  const { RecognizerCore, modelsFor } = await import('../../packages/core/src/recognizer-core.ts');
  const manifest = ManifestSchema.parse(await (await fetch('/manifest.json')).json());
  const models = modelsFor(manifest, ['vin']);
  const ort = await createWebEngine(await Promise.all(models.map(async (m) => ({ name: m.name, bytes: await bytesOf(m.file) }))), {
    backend: 'wasm',
    numThreads: threads,
    warmup: {},
  });
  return vinStages(ort, (e) => new RecognizerCore(e, manifest, ['vin']), photos.map(fromBase64), (b) => browserDecoders.decodeBytes(b));
}
