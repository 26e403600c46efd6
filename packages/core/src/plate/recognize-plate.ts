/**
 * Plate recognition: letterbox → detector → peaks + NMS → crop each plate with a
 * margin → reader (CTC) → candidates re-ranked by format rules and options → CarsXE
 * plate results, best first.
 */
import { errors } from '../errors.ts';
import { toCHW, warpQuad, type RawImage } from '../image/raw-image.ts';
import type { Engine } from '../runtime/engine.ts';
import type { Box, PlateResponse, PlateResult } from '../schemas.ts';
import { ctcGreedy, identityFolding, type ClassFolding, type CtcChar } from '../text/ctc.ts';
import { topReadings, type Reading } from './candidates.ts';
import { decodeDetections } from './decode-detections.ts';
import { letterbox, unletterbox } from './letterbox.ts';
import { nms } from './nms.ts';
import type { DetectorSpec, ReaderSpec } from './plate-spec.ts';
import { rankReadings } from './formats.ts';
import { colourMarks, inferRegion, type ColourMarks, type Region } from './regions.ts';

export const PLATE_DETECTOR = 'plate-detector';
export const PLATE_READER = 'plate-reader';

export interface PlateOptions {
  regions?: string[];
  thresholdDetection?: number;
  thresholdOcr?: number;
  mode?: 'default' | 'fast';
  textFormats?: string[];
  maxCandidates?: number;
}

export interface PlateModels {
  detector: DetectorSpec;
  reader: ReaderSpec;
  folding: ClassFolding;
}

export function plateModels(detector: DetectorSpec, reader: ReaderSpec): PlateModels {
  return { detector, reader, folding: identityFolding(reader.output.alphabet) };
}

const MAX_PLATES = 10;
/** Margins added around a detected box before reading (fractions of its size). */
const MARGIN_X = 0.06;
const MARGIN_Y = 0.12;

export async function detectPlates(engine: Engine, m: PlateModels, img: RawImage, opts: PlateOptions) {
  const d = m.detector;
  const size = opts.mode === 'fast' ? (d.input.fastSize ?? d.input.size) : d.input.size;
  const lb = letterbox(img, size, d.input.pad);
  const out = await engine.run(PLATE_DETECTOR, { [d.input.name]: { data: lb.data, dims: [1, 3, lb.height, lb.width] } });
  const heat = out[d.output.heat];
  const ltrb = out[d.output.ltrb];
  const threshold = opts.thresholdDetection ?? d.decode.scoreThreshold;
  const peaks = decodeDetections(
    { heat: heat.data, ltrb: ltrb.data, width: heat.dims[3], height: heat.dims[2], stride: d.output.stride },
    threshold,
    d.decode.peakKernel,
  );
  return nms(peaks, d.decode.nmsIou, MAX_PLATES)
    .map((p) => ({ score: p.score, box: unletterbox(p.box, lb, img.width, img.height) }))
    .filter((p) => p.box.xmax - p.box.xmin >= 4 && p.box.ymax - p.box.ymin >= 3);
}

function plateCrop(img: RawImage, b: Box, r: ReaderSpec['input']): RawImage {
  const w = b.xmax - b.xmin, h = b.ymax - b.ymin;
  const x0 = b.xmin - MARGIN_X * w, x1 = b.xmax + MARGIN_X * w;
  const y0 = b.ymin - MARGIN_Y * h, y1 = b.ymax + MARGIN_Y * h;
  const q = [{ x: x0, y: y0 }, { x: x1, y: y0 }, { x: x1, y: y1 }, { x: x0, y: y1 }];
  return warpQuad(img, q, r.width, r.height);
}

export async function readPlates(engine: Engine, m: PlateModels, crops: RawImage[]): Promise<{ chars: ReturnType<typeof ctcGreedy> }[]> {
  const r = m.reader.input;
  const plane = 3 * r.width * r.height;
  const batch = new Float32Array(crops.length * plane);
  crops.forEach((c, i) => toCHW(c, { colorOrder: r.colorOrder, scale: r.scale, mean: r.mean, std: r.std }, batch, i * plane));
  const out = (await engine.run(PLATE_READER, { [r.name]: { data: batch, dims: [crops.length, 3, r.height, r.width] } }))[
    m.reader.output.name
  ];
  const [, T, C] = out.dims;
  return crops.map((_, i) => ({ chars: ctcGreedy(out.data, T, C, m.folding, i * T * C, 3) }));
}

/**
 * Pick the reading: candidates re-ranked by the format prior (formats.ts: reader score ×
 * format weight, `regions` hints raising their formats; with `chars`, format-consistent
 * variants of confusable characters join the reader's own readings, which are never
 * dropped). `textFormats`, when given, keeps only the matching candidates.
 */
export function chooseReading(
  readings: Reading[],
  opts: PlateOptions,
  chars: readonly CtcChar[] | null = null,
): { best: Reading; ranked: Reading[] } | null {
  const formats = opts.textFormats?.map((f) => new RegExp(f, 'i'));
  const ranked = rankReadings(readings, chars, opts.regions).map((r) => ({ text: r.text, score: r.score }));
  const pool = formats ? ranked.filter((r) => formats.some((f) => f.test(r.text.toLowerCase()))) : ranked;
  if (!pool.length) return null;
  return { best: pool[0], ranked: pool };
}

/**
 * The reading and region decision for one plate's characters (the pipeline's step after
 * the reader; the accuracy bench calls it for given boxes too).
 */
export function decidePlate(
  chars: readonly CtcChar[],
  marks: ColourMarks | null,
  opts: PlateOptions,
): { best: Reading; ranked: Reading[]; region?: Region } | null {
  const chosen = chooseReading(topReadings(chars, Math.max(opts.maxCandidates ?? 5, 10)), opts, chars);
  if (!chosen) return null;
  return { ...chosen, region: inferRegion(chosen.best.text, marks, opts.regions) };
}

const round = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d;
const roundBox = (b: Box): Box => ({ xmin: Math.round(b.xmin), ymin: Math.round(b.ymin), xmax: Math.round(b.xmax), ymax: Math.round(b.ymax) });

export async function recognizePlate(engine: Engine, m: PlateModels, img: RawImage, opts: PlateOptions = {}): Promise<PlateResponse> {
  const t0 = performance.now();
  const dets = await detectPlates(engine, m, img, opts);
  if (!dets.length) throw errors.noPlate();
  const crops = dets.map((d) => plateCrop(img, d.box, m.reader.input));
  const reads = await readPlates(engine, m, crops);
  const k = opts.maxCandidates ?? 5;
  const results: PlateResult[] = [];
  dets.forEach((d, i) => {
    const chars = reads[i].chars;
    if (chars.length < 2) return;
    const chosen = decidePlate(chars, colourMarks(crops[i]), opts);
    if (!chosen) return;
    const { best, ranked, region } = chosen;
    if (best.score < (opts.thresholdOcr ?? 0)) return;
    results.push({
      box: roundBox(d.box),
      plate: best.text.toLowerCase(),
      ...(region ? { region } : {}),
      score: round(best.score),
      candidates: ranked.slice(0, k).map((r) => ({ score: round(r.score), plate: r.text.toLowerCase() })),
      dscore: round(d.score),
    });
  });
  if (!results.length) throw errors.noPlate();
  results.sort((a, b) => b.dscore! * b.score - a.dscore! * a.score);
  return { success: true, results, processing_time: round(performance.now() - t0, 1) };
}
