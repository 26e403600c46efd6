/**
 * Plate recognition: letterbox → detector → peaks + NMS → crop each plate with a
 * margin → reader (CTC) → candidates re-ranked by format rules and options → CarsXE
 * plate results, best first.
 */
import { errors } from '../errors.ts';
import { toCHW, type RawImage } from '../image/raw-image.ts';
import type { Engine } from '../runtime/engine.ts';
import type { Box, PlateResponse, PlateResult } from '../schemas.ts';
import { ctcGreedy, identityFolding, type ClassFolding, type CtcChar } from '../text/ctc.ts';
import { readingScore, topReadings, type Reading } from './candidates.ts';
import { asSource, type PixelSource } from '../image/pixel-source.ts';
import { boxIn, boxTilt, cropFootprint, oneRowCrop, twoRowCrop } from './plate-crop.ts';
import { decodeDetections } from './decode-detections.ts';
import { FloatPool } from '../image/float-pool.ts';
import { letterbox, unletterbox } from './letterbox.ts';
import { iou, nms } from './nms.ts';
import type { DetectorSpec, ReaderSpec } from './plate-spec.ts';
import { formatWeight, rankReadings } from './formats.ts';
import { appearanceOf, colourMarks, inferRegion, type Appearance, type ColourMarks, type Region } from './regions.ts';
import { readPlateWords, wantsWords } from './plate-words.ts';
import type { LineReader } from '../text/recognize-text.ts';

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
  /** The general text recogniser, when loaded (the VIN task's): reads the state name on US / CA / AU plates (plate-words.ts). */
  words?: LineReader;
}

export function plateModels(detector: DetectorSpec, reader: ReaderSpec): PlateModels {
  return { detector, reader, folding: identityFolding(reader.output.alphabet) };
}

const MAX_PLATES = 10;

/**
 * Default mode only: when the detector finds nothing at its size, look again at a smaller size
 * (close-ups: a plate filling half the frame is larger than any it was trained on; on generated
 * close-ups only sizes 160–224 found one of them) and then a larger one (small, distant plates).
 * Costs time only on photos that would answer 404. On plates-openlpr-val: 512 alone finds 243 of
 * 261 plates, a retry at 224 alone 245, at 768 alone 247 (tools/tune/detect-scales.ts).
 */
const EMPTY_RETRY_SIZES = [224, 768];

/**
 * Default mode only: peaks between this and the detector threshold are read too and kept when
 * the reading is a confident, well-formed plate (`isVerifiedWeak`). The detector scores unusual
 * designs low (black, yellow and square plates, snow): on plates-openlpr-val 7 of its 18 missed
 * plates peak in 0.15–0.45 and read as a national format at ≥ 0.95, while the watermarks, words
 * and dealer names that peak there read as no format (tools/tune/weak-detections.ts).
 */
export const WEAK_DETECTION = 0.15;
/** A weak detection's reading must score at least this … */
export const WEAK_READING = 0.95;
/** … and fit a national format at least this well (formatWeight: US vanity 0.05, words ~0.2). */
export const WEAK_FORMAT = 0.5;

export interface Detection {
  score: number;
  box: Box;
  /** Below the detector threshold: kept only if its reading verifies it (default mode). */
  weak?: boolean;
}

export async function detectPlates(engine: Engine, m: PlateModels, img: RawImage | PixelSource, opts: PlateOptions): Promise<Detection[]> {
  const d = m.detector;
  const threshold = opts.thresholdDetection ?? d.decode.scoreThreshold;
  if (opts.mode === 'fast') return detectAt(engine, m, img, threshold, d.input.fastSize ?? d.input.size);
  // A user-set threshold is taken as it is: no weak band below it.
  const floor = opts.thresholdDetection === undefined ? Math.min(threshold, WEAK_DETECTION) : threshold;
  const first = await detectAt(engine, m, img, floor, d.input.size);
  let sure = first.filter((x) => x.score >= threshold);
  const weak = first.filter((x) => x.score < threshold).map((x) => ({ ...x, weak: true }));
  // boxes of `add` that overlap none of `kept` (a box found twice keeps its first detection)
  const beside = (kept: readonly Detection[], add: readonly Detection[]) => add.filter((x) => kept.every((y) => iou(x.box, y.box) <= d.decode.nmsIou));
  const retried = !sure.length;
  for (const size of EMPTY_RETRY_SIZES) {
    if (sure.length) break;
    sure = await detectAt(engine, m, img, threshold, size);
  }
  const found = [...sure, ...beside(sure, weak)];
  // (not after an empty-frame retry: its boxes were found at another size, maybe this one)
  if (!retried && wantsFinerLook(found, img, d.input.size)) {
    // plates the first pass saw at the edge of its resolution: look again finer, keeping every
    // box already found (so their readings stay) and adding the ones that do not overlap them
    const fine = await detectAt(engine, m, img, floor, FINE_SIZE);
    const fresh = beside(found, fine).map((x) => (x.score >= threshold ? x : { ...x, weak: true }));
    return [...found, ...fresh].slice(0, MAX_PLATES);
  }
  return found;
}

/**
 * Default mode only: a second detector pass at this size when the picture is much larger than
 * the first pass's input and a plate it found is small there (crowded or distant plates in a
 * big frame: in 1920×1080 montages of 8 plates, 512 alone read 34 of 64, 768 55, 1024 60).
 */
export const FINE_SIZE = 768;
/** … a found box narrower than this in first-pass input pixels counts as small. */
export const SMALL_PLATE_PX = 40;
function wantsFinerLook(found: readonly Detection[], img: { width: number; height: number }, size: number): boolean {
  const side = Math.max(img.width, img.height);
  if (side < 1.5 * FINE_SIZE) return false;
  return found.some((x) => ((x.box.xmax - x.box.xmin) * size) / side < SMALL_PLATE_PX);
}

/** Detector inputs, reused across calls (image/float-pool.ts). */
const detectorInputs = new FloatPool();

/** One detector pass at input size `size`: peaks scoring ≥ `threshold`, after NMS, in image pixels. */
export async function detectAt(engine: Engine, m: PlateModels, img: RawImage | PixelSource, threshold: number, size: number): Promise<Detection[]> {
  const d = m.detector;
  const lb = letterbox(img, size, d.input.pad, undefined, (n) => detectorInputs.take(n));
  let out;
  try {
    out = await engine.run(PLATE_DETECTOR, { [d.input.name]: { data: lb.data, dims: [1, 3, lb.height, lb.width] } });
  } finally {
    detectorInputs.give(lb.data);
  }
  const heat = out[d.output.heat];
  const ltrb = out[d.output.ltrb];
  const peaks = decodeDetections(
    { heat: heat.data, ltrb: ltrb.data, width: heat.dims[3], height: heat.dims[2], stride: d.output.stride },
    threshold,
    d.decode.peakKernel,
  );
  return nms(peaks, d.decode.nmsIou, MAX_PLATES)
    .map((p) => ({ score: p.score, box: unletterbox(p.box, lb, img.width, img.height) }))
    .filter((p) => p.box.xmax - p.box.xmin >= 4 && p.box.ymax - p.box.ymin >= 3);
}

/** Is a weak detection's reading a plate: confident and in a national format (hinted regions count ×3)? */
export const isVerifiedWeak = (best: Reading, regions?: readonly string[]) =>
  best.score >= WEAK_READING && formatWeight(best.text, regions) >= WEAK_FORMAT;

/** Boxes squarer than this (width / height) may hold two rows: both layouts are read. */
export const TWO_ROW_MAX_ASPECT = 2.6;

export interface PlateRead {
  chars: CtcChar[];
  /** The reader input that gave `chars` (colour marks are taken from it). */
  crop: RawImage;
  rows: 1 | 2;
  /** Country probabilities from the plate's look (the one-row crop), when the reader has that output. */
  looks?: Appearance;
}

/**
 * Read the plate in each box: the one-row crop always; the two-row layout too when the box
 * is squarish and its one-row reading is not already a sure, formatted plate (a second reader
 * batch); per box the layout whose reading is likelier wins.
 */
export async function readPlateBoxes(
  engine: Engine,
  m: PlateModels,
  picture: RawImage | PixelSource,
  boxes: readonly Box[],
  { deskew = true }: { deskew?: boolean } = {},
): Promise<PlateRead[]> {
  const l = m.reader.input;
  const src = asSource(picture);
  const cuts = boxes.map((box) => {
    // only the pixels this plate's crops can sample are read at full resolution
    const patch = src.region(cropFootprint(box, l, src.width, src.height));
    const [img, b] = [patch.pixels, boxIn(box, patch.x, patch.y)];
    const level = oneRowCrop(img, b, l);
    const angle = deskew ? boxTilt(level, b, l) : 0;
    return { img, b, angle, aspect: (b.xmax - b.xmin) / Math.max(1, b.ymax - b.ymin), crop: angle ? oneRowCrop(img, b, l, angle) : level };
  });
  const reads = await readPlates(engine, m, cuts.map((c) => c.crop));
  const best = cuts.map((c, i) => ({ ...scored(reads[i].chars, c.crop, 1), ...(reads[i].looks ? { looks: reads[i].looks } : {}) }));
  const twoRow = cuts.flatMap((c, i) => (c.aspect < TWO_ROW_MAX_ASPECT && !sureOneRow(best[i], c.aspect) ? [i] : []));
  if (twoRow.length) {
    const crops = twoRow.map((i) => twoRowCrop(cuts[i].img, cuts[i].b, l, cuts[i].angle));
    const reads2 = await readPlates(engine, m, crops);
    twoRow.forEach((i, j) => {
      const read = scored(reads2[j].chars, crops[j], 2);
      // the whole plate's look is in its one-row crop
      const { looks } = best[i];
      best[i] = { ...likelierLayout(best[i], read), ...(looks ? { looks } : {}) };
    });
  }
  return best.map(({ chars, crop, rows, looks }) => ({ chars, crop, rows, ...(looks ? { looks } : {}) }));
}

/** A layout's reading with its score (geometric mean of the character probabilities). */
const scored = (chars: CtcChar[], crop: RawImage, rows: 1 | 2): PlateRead & { score: number } => ({
  chars,
  crop,
  rows,
  score: chars.length ? readingScore(chars.map((c) => c.prob)) : 0,
});

/**
 * A box at least this wide for its height (aspect, width / height) whose one-row reading is this sure and this well
 * formatted is not read again as two rows. On plates-openlpr-val and the held-out crops
 * (`pnpm bench:accuracy plate`) 808 squarish boxes were read both ways; 389 of them read so at
 * aspect ≥ 1.6, and there the two-row layout won 3 times, never rightly (two Brazilian plates
 * read 'AAYM8016' and 'AD2157', one tie): skipping those reads gained the two and half the
 * two-row crops (held-out BR crops 94.8 → 95.9 %, the rest unchanged), while squarer boxes
 * (two-row EU plates, aspect ~1.4) read the bottom row alone just as surely ('ER596' for
 * LJER596) and need the second read.
 */
const SURE_ONE_ROW_ASPECT = 1.6;
const SURE_ONE_ROW = 0.95;
const SURE_ONE_ROW_FORMAT = 0.5;
export const sureOneRow = (r: PlateRead & { score: number }, aspect: number) =>
  aspect >= SURE_ONE_ROW_ASPECT &&
  r.score >= SURE_ONE_ROW &&
  formatWeight(textOf(r)) >= SURE_ONE_ROW_FORMAT;

const textOf = (r: PlateRead) => r.chars.map((c) => c.char).join('');

/**
 * One box read in both layouts: a two-row reading that ends with the one-row reading wins
 * when every character it adds is sure — a two-row plate read as one row often gives its big
 * bottom row alone ('938BC' for GF/938BC), confidently; otherwise the likelier reading wins.
 * A one-row plate cut in two halves also yields 'junk + the whole text' (Brazilian crops:
 * 'VC'+'IKO8673'), but with unsure junk: on openlpr-val and the held-out crops every such junk
 * prefix had a character below 0.80, while genuine top rows read each at ≥ 0.89 but two (0.62,
 * 0.75); the floor sits in that gap. A sure prefix that repeats the one-row text is such junk too.
 */
export function likelierLayout<R extends PlateRead & { score: number }>(a: R, b: R): R {
  const two = a.rows === 2 ? a : b, one = a.rows === 2 ? b : a;
  const t2 = textOf(two), t1 = textOf(one);
  const top = two.chars.slice(0, t2.length - t1.length);
  if (t1.length >= 2 && t2.length > t1.length && t2.endsWith(t1)) {
    // a top row that repeats the plate's own characters is the upper half of a one-row plate read again
    const topText = t2.slice(0, top.length);
    const echo = (top.length >= ECHO_MIN && t1.includes(topText)) || topText === t1;
    // ... and so is one that turns a plate in a national format into text no format explains
    // (old Brazilian plates' city line: '7D' + 'AZR8693')
    const unformatted = formatWeight(t1) >= FORMAT_KEPT && formatWeight(t2) < FORMAT_KEPT / 10;
    if (echo || unformatted) return one;
    if (top.every((c) => c.prob >= TOP_ROW_FLOOR)) return two;
  }
  return b.score > a.score ? b : a;
}

const TOP_ROW_FLOOR = 0.85;
/**
 * A one-row plate's upper half can read surely as its own first characters ('WA74' + 'WA748'
 * for WA748, 'ACW0' + 'ACW054'; openlpr-val Pakistani plates); a genuine top row of three or
 * more characters that recurs inside the bottom row is rare (a row of letters over digits), and
 * two identical rows ('13' + '13') are one row read twice.
 */
const ECHO_MIN = 3;
/** A one-row reading this well formatted is not traded for an unformatted two-row one. */
const FORMAT_KEPT = 0.5;

export async function readPlates(
  engine: Engine,
  m: PlateModels,
  crops: RawImage[],
): Promise<{ chars: ReturnType<typeof ctcGreedy>; looks?: Appearance }[]> {
  const r = m.reader.input;
  const plane = 3 * r.width * r.height;
  const batch = new Float32Array(crops.length * plane);
  crops.forEach((c, i) => toCHW(c, { colorOrder: r.colorOrder, scale: r.scale, mean: r.mean, std: r.std }, batch, i * plane));
  const outs = await engine.run(PLATE_READER, { [r.name]: { data: batch, dims: [crops.length, 3, r.height, r.width] } });
  const out = outs[m.reader.output.name];
  const [, T, C] = out.dims;
  const region = m.reader.output.region;
  const looksOut = region ? outs[region.name] : undefined;
  return crops.map((_, i) => ({
    chars: ctcGreedy(out.data, T, C, m.folding, i * T * C, 3),
    ...(looksOut && region ? { looks: appearanceOf(looksOut.data, region.classes, i) } : {}),
  }));
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
  looks?: Appearance,
): { best: Reading; ranked: Reading[] } | null {
  const formats = opts.textFormats?.map((f) => new RegExp(f, 'i'));
  const ranked = rankReadings(readings, chars, opts.regions, undefined, looks).map((r) => ({ text: r.text, score: r.score }));
  const pool = formats ? ranked.filter((r) => formats.some((f) => f.test(r.text.toLowerCase()))) : ranked;
  if (!pool.length) return null;
  return { best: pool[0], ranked: pool };
}

/**
 * The reading and region decision for one plate's characters (the pipeline's step after
 * the reader; the accuracy bench calls it for given boxes too). `words`: other text read on
 * the plate (a state name), when a recogniser has read it.
 */
export function decidePlate(
  chars: readonly CtcChar[],
  marks: ColourMarks | null,
  opts: PlateOptions,
  words?: string,
  looks?: Appearance,
): { best: Reading; ranked: Reading[]; region?: Region } | null {
  const chosen = chooseReading(topReadings(chars, Math.max(opts.maxCandidates ?? 5, 10)), opts, chars, looks);
  if (!chosen) return null;
  return { ...chosen, region: inferRegion(chosen.best.text, marks, opts.regions, words, undefined, looks) };
}

/**
 * Readings below this score are not plates (a bumper, a sticker, a watermark read as text).
 * With the fine-tuned reader every reading of a boxed plate on plates-openlpr-val scores ≥ 0.69,
 * while 3 of its 20 readings elsewhere score below 0.6; on plates-openlpr-train 0.5 → 0.6 drops 9
 * readings elsewhere and 7 on boxed plates, 6 of them wrong or illegible anyway
 * (tools/tune/plate-floor.ts). `thresholdOcr` overrides it.
 */
export const READING_FLOOR = 0.6;

/**
 * A reading without a digit (TAXI, a dealer's name, a model badge) from a detection below this
 * score is dropped when the photo holds a plate that has digits: on plates-openlpr-val that drops
 * 5 of the 20 readings off the boxed plates and none on them; on plates-openlpr-train 10 and none
 * (its vanity plates below it, UDLUZZ 0.48 and SITH 0.52, are the only plate of their photo).
 */
export const WORD_DETECTION = 0.6;

const hasDigit = (t: string) => /[0-9]/.test(t);

/** Drop word-like readings of doubtful detections next to a plate with digits (see WORD_DETECTION). */
export function dropWords<T extends { plate: string; dscore?: number }>(results: T[]): T[] {
  if (!results.some((r) => hasDigit(r.plate))) return results;
  return results.filter((r) => hasDigit(r.plate) || (r.dscore ?? 1) >= WORD_DETECTION);
}

const round = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d;
const roundBox = (b: Box): Box => ({ xmin: Math.round(b.xmin), ymin: Math.round(b.ymin), xmax: Math.round(b.xmax), ymax: Math.round(b.ymax) });

export async function recognizePlate(engine: Engine, m: PlateModels, picture: RawImage | PixelSource, opts: PlateOptions = {}): Promise<PlateResponse> {
  const t0 = performance.now();
  const results = dropWords(await plateResults(engine, m, picture, opts));
  if (!results.length) throw errors.noPlate();
  results.sort((a, b) => b.dscore! * b.score - a.dscore! * a.score);
  return { success: true, results, processing_time: round(performance.now() - t0, 1) };
}

/** Every detected plate whose reading passes the reading floor (and, if weak, is verified), before dropWords. */
export async function plateResults(engine: Engine, m: PlateModels, picture: PixelSource | RawImage, opts: PlateOptions = {}): Promise<PlateResult[]> {
  const img = asSource(picture);
  const dets = await detectPlates(engine, m, img, opts);
  if (!dets.length) return [];
  const reads = await readPlateBoxes(engine, m, img, dets.map((d) => d.box));
  const k = opts.maxCandidates ?? 5;
  const results: PlateResult[] = [];
  for (const [i, d] of dets.entries()) {
    const chars = reads[i].chars;
    if (chars.length < 2) continue;
    const marks = colourMarks(reads[i].crop);
    const chosen = decidePlate(chars, marks, opts, undefined, reads[i].looks);
    if (!chosen) continue;
    const { best, ranked } = chosen;
    if (best.score < (opts.thresholdOcr ?? READING_FLOOR)) continue;
    if (d.weak && !isVerifiedWeak(best, opts.regions)) continue;
    let region = chosen.region;
    // a state name printed on the plate names what the layout cannot (us → us-wa); not in
    // 'fast' mode (one more recogniser run per US plate: video frames vote the region anyway)
    if (m.words && opts.mode !== 'fast' && wantsWords(region?.code, d.box)) {
      const words = await readPlateWords(engine, m.words, img, d.box);
      if (words) region = inferRegion(best.text, marks, opts.regions, words, undefined, reads[i].looks) ?? region;
    }
    results.push({
      box: roundBox(d.box),
      plate: best.text.toLowerCase(),
      ...(region ? { region } : {}),
      score: round(best.score),
      candidates: ranked.slice(0, k).map((r) => ({ score: round(r.score), plate: r.text.toLowerCase() })),
      dscore: round(d.score),
    });
  }
  return results;
}
