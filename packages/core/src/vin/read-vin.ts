/**
 * VIN OCR: detect text lines → recognise the long ones (both reading directions for
 * vertical lines) → extract VINs → CarsXE response.
 *
 * Lines are read first by PlateLens' small VIN line reader; only when that gives no
 * VIN it can trust does the general PP-OCR recogniser (≈ 20× the cost per line) read
 * them again. Falls back to all lines, then to the image turned 90°, only when the
 * cheap passes find nothing.
 */
import { lookupWmi } from './wmi/index.ts';
import { errors } from '../errors.ts';
import { rotate90, type Point, type RawImage } from '../image/raw-image.ts';
import type { Engine } from '../runtime/engine.ts';
import type { Box, VinResponse } from '../schemas.ts';
import { detInputSize, detectText, type DetectedLine } from '../text/detect-text.ts';
import { rectCorners } from '../text/geometry.ts';
import { recognizeLines, type LineReader, type ReadLine } from '../text/recognize-text.ts';
import { extractVins, OTHER_NUMBER_LABEL, type VinCandidateScored } from './extract.ts';
import { glyphBox } from './glyph-box.ts';
import { readVinBarcodes } from './barcode.ts';
import { fuseBarcodes } from './fuse.ts';

export interface VinOptions {
  /**
   * Longer side of the text detector's input. Default: 640, then 960 when that finds
   * no VIN it can trust (small text), so the common case pays for the small pass only.
   */
  detectorSize?: number;
  /** Most candidates returned. */
  maxCandidates: number;
  /** Region rules every answer must pass (see regions.ts); default: those its WMI implies. */
  regions?: readonly string[];
  /**
   * When no reading passes the rules, answer the best rule-breaking one (confidence
   * halved) instead of a 404. Default false: no answer breaks its rules.
   */
  allowRuleBreaking?: boolean;
  /**
   * VIN barcodes (Code 39, DataMatrix, QR): 'auto' reads them unless OCR's answer is
   * conclusive (trusted, and a valid check digit or a "VIN" label), 'always' on every
   * image, 'off' never. Default 'auto'.
   */
  barcodes?: 'auto' | 'always' | 'off';
}

export const DEFAULT_VIN_OPTIONS: VinOptions = { maxCandidates: 5 };
export const COARSE_TO_FINE = [640, 960];
/** This many whole horizontal lines found: the image is upright, no turned pass. */
const LEGIBLE_LINES = 3;
/** …and the turned pass only when the text came in at least this many short pieces. */
const SPLIT_PIECES = 6;
/**
 * Thinnest whole horizontal line the coarse pass found, in detector pixels, above which
 * the finer pass is skipped: it finds small text, and there was none (a 640-px pass sees
 * 14-px capitals as ≈ 10-px lines). Text seen only in pieces or turned always gets it.
 */
const BIG_TEXT_PX = 16;

/** What the text detector saw in one pass, to decide which passes follow. */
interface TextSeen {
  /** Long horizontal lines (text seen whole and upright). */
  legible: number;
  /** Short pieces (aspect < 5). */
  pieces: number;
  /** Thinnest long horizontal line, in detector-input pixels (Infinity when none). */
  thinnest: number;
  /** Median tilt of the long horizontal lines, degrees (0 when none). */
  angle: number;
}

function medianAngle(lines: readonly DetectedLine[]): number {
  const a = lines.map((l) => (Math.atan2(l.rect.uy, l.rect.ux) * 180) / Math.PI).sort((x, y) => x - y);
  return a.length ? a[a.length >> 1] : 0;
}

/** The two line readers: the fast VIN reader (optional) and the general one. */
export interface VinReaders {
  fast?: LineReader;
  general: LineReader;
}
/**
 * A fast-reader answer is kept without a second opinion at this confidence or above,
 * when its check digit is valid or the VIN has none. Set with tools/tune/vin-trust.ts on
 * generated scenes the tests do not use (seeds 5000–5199): 136 of 136 such answers right.
 */
const FAST_TRUST = 0.9;
/** A first-pass answer below this confidence is re-checked at the finer size. */
const TRUST_CONFIDENCE = 0.6;

/** A 17-character line is long and thin; shorter fragments only matter when nothing else matched. */
const VIN_LINE_MIN_ASPECT = 5;
const FRAGMENT_MIN_ASPECT = 1.2;

/**
 * The fast reader's crops get this much more room at each end (× line thickness): the
 * detector often clips the last glyph of faint stamped text; the reader was trained
 * with loose ends.
 */
const FAST_END_PAD = 0.3;
/**
 * Last resort for faint stamped / dot-peened VINs the detector only found pieces of:
 * stretch each piece along its axis by this much (× thickness) at both ends — room for
 * 17 glyphs wherever the piece sits in the VIN — and read it with the fast reader.
 */
const GROW_PAD = 7;

const aspect = (l: DetectedLine) => l.rect.length / Math.max(1, l.rect.thickness);
const isVertical = (l: DetectedLine) => Math.abs(l.rect.uy) > Math.abs(l.rect.ux);

/**
 * Reading quads for a line. Vertical lines are read both ways (text turned 90° cw or
 * ccw); with `bothWays` every line is also read upside down (an image we turned
 * ourselves without knowing which way the text ran).
 */
function quadsFor(lines: DetectedLine[], bothWays: boolean): Point[][] {
  return lines.flatMap((l) => {
    const q = rectCorners(l.rect);
    return bothWays || isVertical(l) ? [q, [q[2], q[3], q[0], q[1]]] : [q];
  });
}

async function readLines(engine: Engine, reader: LineReader, img: RawImage, lines: DetectedLine[], bothWays: boolean): Promise<ReadLine[]> {
  return lines.length ? recognizeLines(engine, img, quadsFor(lines, bothWays), reader) : [];
}

/** Lines the fast reader reads per inference call. */
const FAST_STEP = 2;
/**
 * How far a line's shape is from a VIN line's: 17 glyphs (plus maybe a "VIN:" label)
 * in a detector box ≈ 1.5–2 glyph heights thick give length/thickness ≈ 5–12.
 */
const vinLineDistance = (l: DetectedLine) => Math.abs(Math.log(aspect(l) / 7.5));

/** The line with its rectangle lengthened by `k` × thickness at both ends. */
const padEnds = (l: DetectedLine, k: number): DetectedLine => ({ ...l, rect: { ...l.rect, length: l.rect.length + 2 * k * l.rect.thickness } });

/** Passes its region rules: the only readings ever answered (unless allowRuleBreaking). */
const ok = (c: VinCandidateScored) => c.rulesOk;

/**
 * Readings are answered only when believable. Every right answer on 98 generated scenes (seeds
 * 7000–7119) read at ≥ 0.93, while on 30 photos without a VIN 7 sticker lines were answered at
 * 0.60–0.76 and, once those were refused, others at 0.08–0.45: below MIN_ANSWER_CONFIDENCE a
 * reading is a guess. A WMI vPIC does not list (no manufacturer registered those three
 * characters; all 7 lines had one, and a check digit passes by chance 1 time in 11) needs
 * UNLISTED_WMI_MIN_CONFIDENCE. A "VIN" label or a barcode behind the reading vouches for it.
 */
const MIN_ANSWER_CONFIDENCE = 0.5;
const UNLISTED_WMI_MIN_CONFIDENCE = 0.8;
const believable = (c: VinCandidateScored) =>
  c.labelled ||
  c.source !== undefined ||
  (c.confidence >= MIN_ANSWER_CONFIDENCE && (c.confidence >= UNLISTED_WMI_MIN_CONFIDENCE || lookupWmi(c.vin).countrySource === 'table'));
/**
 * Readings ranked below one that rests on a faint guess (unlabelled, no barcode, a character
 * below this) are not answered, nor is that one: the best guess about this text is doubtful,
 * so the lesser ones are too. On calibration scenes (seeds 5000–5299, 9030–9059) check digits
 * "repaired" from 0.005–0.11 alternatives made 2 wrong VINs and an answer on a photo without
 * one, while every right unlabelled answer's least sure character was ≥ 0.30. Dropping only the
 * faint reading answered the next window of the same line instead ("U11HGPUT65X8R1V24" for
 * 1HGPUT65X8R1V2464); dropping every reading whose box overlaps a faint one lost 9 right VINs
 * of 360 to faint windows ranked below them.
 */
const MIN_GLYPH_PROB = 0.2;
const restsOnGuess = (c: VinCandidateScored) => !c.labelled && c.source === undefined && c.weakest < MIN_GLYPH_PROB;
/** Rule-passing, believable readings ranked above the first that rests on a faint guess. */
function answerableOf(cands: readonly VinCandidateScored[]): VinCandidateScored[] {
  const out: VinCandidateScored[] = [];
  for (const c of cands.filter(ok)) {
    if (restsOnGuess(c)) break;
    if (believable(c)) out.push(c);
  }
  return out;
}
/** Best reading that passes the rules (lists are ranked; rule-breaking ones may rank above). */
const best = (cs: readonly VinCandidateScored[]) => cs.find(ok);
/** Rule-passing readings first, each group by rank. */
const ruledFirst = (cs: VinCandidateScored[]) => [...cs.filter(ok), ...cs.filter((c) => !ok(c))];

/** No structure penalty in its rank (cut words, sticker words, a leading 0, a label inside). */
const cleanRank = (c: VinCandidateScored) => c.rank >= c.confidence - 0.1;
/** Confident, check digit valid or absent, clean rank: safe to answer without PP-OCR's second reading. */
const trusted = (c: VinCandidateScored | undefined) =>
  !!c && c.confidence >= FAST_TRUST && (c.checkDigit === 'valid' || c.checkDigit === 'n/a') && cleanRank(c);
/**
 * Enough for the last-resort answer (else the caller gets a 404). Set on generated
 * scenes outside the test seeds (5000–5199): 0.7 answers as many stamped VINs right as
 * 0.5, with fewer wrong answers instead of 404s.
 */
const GROWN_MIN_CONFIDENCE = 0.7;
const plausible = (c: VinCandidateScored | undefined) =>
  !!c && c.confidence >= GROWN_MIN_CONFIDENCE && c.checkDigit !== 'invalid' && cleanRank(c);

/**
 * Trusted and backed by more than its own characters (a valid check digit or a "VIN"
 * label): no other line can outrank it, so the remaining lines need not be read.
 * Without that evidence a serial or lot number would win just by being read first.
 */
const conclusive = (c: VinCandidateScored | undefined) => trusted(c) && (c!.checkDigit === 'valid' || c!.labelled);

/**
 * Most text runs vertically (a sticker photographed sideways)? PP-OCR's detector,
 * trained on horizontal text, splits such lines into fragments: better to turn the
 * image and detect again.
 */
export function mostlyVertical(lines: readonly DetectedLine[]): boolean {
  let v = 0, h = 0;
  for (const l of lines) {
    const w = l.rect.length * l.rect.thickness;
    if (isVertical(l)) v += w;
    else h += w;
  }
  return v > h;
}

async function findVinsIn(
  engine: Engine,
  readers: VinReaders,
  img: RawImage,
  lines: DetectedLine[],
  bothWays: boolean,
  regions: readonly string[] | undefined,
): Promise<VinCandidateScored[]> {
  const extract = (ls: ReadLine[]) => ruledFirst(extractVins(ls, regions));
  const long = lines.filter((l) => aspect(l) >= VIN_LINE_MIN_ASPECT);
  /** Longest run of characters the fast reader read on each long line. */
  const fastRun = new Map<DetectedLine, number>();
  /** Lines the fast reader saw another number's label on (S/N, PART NO, LOT): a serial, not a VIN. */
  const otherNumber = new Set<DetectedLine>();
  let quick: VinCandidateScored[] = [];
  if (readers.fast) {
    // likeliest VIN lines first, a few at a time, until one gives a conclusive VIN;
    // else all of them, and the best-ranked VIN if it is trusted
    const ordered = [...long].sort((a, b) => vinLineDistance(a) - vinLineDistance(b));
    const seen: ReadLine[] = [];
    for (let i = 0; i < ordered.length; i += FAST_STEP) {
      const lines = ordered.slice(i, i + FAST_STEP);
      const read = await readLines(engine, readers.fast, img, lines.map((l) => padEnds(l, FAST_END_PAD)), bothWays);
      seen.push(...read);
      let k = 0;
      for (const l of lines) {
        const n = bothWays || isVertical(l) ? 2 : 1;
        const reads = read.slice(k, k + n);
        fastRun.set(l, Math.max(...reads.map((r) => longestRun(r.text, GENERAL_MIN_DIGITS))));
        if (reads.some((r) => OTHER_NUMBER_LABEL.test(r.text))) otherNumber.add(l);
        k += n;
      }
      quick = extract(seen);
      if (conclusive(best(quick))) return quick;
    }
    if (trusted(best(quick))) return quick;
  }
  // PP-OCR's recogniser (≈ 20× the fast reader's cost per line) gets only the lines the
  // fast reader saw a VIN's worth of characters on, likeliest first: bounded work on
  // photos full of text without a VIN
  const forGeneral = readers.fast
    ? long
        .filter((l) => (fastRun.get(l) ?? 0) >= GENERAL_MIN_RUN && !otherNumber.has(l))
        .sort((a, b) => Math.abs(fastRun.get(a)! - 17) - Math.abs(fastRun.get(b)! - 17) || vinLineDistance(a) - vinLineDistance(b))
        .slice(0, GENERAL_MAX_LINES)
    : long;
  const read = await readLines(engine, readers.general, img, forGeneral, bothWays);
  const cands = extract(read);
  if (best(cands)) return cands;
  let rest = inRows(lines.filter((l) => aspect(l) < VIN_LINE_MIN_ASPECT && aspect(l) >= FRAGMENT_MIN_ASPECT));
  if (readers.fast && rest.length) {
    // the fast reader first: a row of pieces is worth PP-OCR's time only when it read a
    // VIN's worth of characters on it
    const counts = new Map<DetectedLine, number>();
    const fr = await readLines(engine, readers.fast, img, rest, false);
    rest.forEach((l, i) => counts.set(l, fr[i].text.replace(/[^0-9A-Z]/g, '').length));
    const fromFast = extract([...fr, ...read]);
    if (best(fromFast) && plausible(best(fromFast))) return fromFast;
    rest = rest.filter((l) => rest.reduce((n, b) => n + (b === l || rowMates(l, b) ? counts.get(b)! : 0), 0) >= GENERAL_MIN_RUN);
  }
  const more = extract([...read, ...(await readLines(engine, readers.general, img, rest, bothWays))]);
  if (best(more)) return more;
  if (best(quick) || !readers.fast) return ruledFirst([...quick, ...more]);
  const grown = extract(await readLines(engine, readers.fast, img, grownPieces(lines.filter((l) => !otherNumber.has(l))), bothWays));
  return plausible(best(grown)) ? grown : ruledFirst([...more, ...quick]);
}

/** Lines PP-OCR's recogniser reads at most when the fast reader found no VIN it trusts. */
const GENERAL_MAX_LINES = 4;
/** …each with at least this many characters in a row as the fast reader read it (17 less its misses). */
const GENERAL_MIN_RUN = 12;

/** …and at least this many digits in that run: every VIN's serial part is digits, while the
 * long lines of words around it (ENGINE CAPACITY, DATE OF FIRST REGISTRATION) have none; on
 * no-VIN photos those lines were most of PP-OCR's work. */
const GENERAL_MIN_DIGITS = 3;

/**
 * Length of the longest run of VIN-ish characters, spaces between groups ignored; a run with
 * fewer than `minDigits` digits counts 0.
 */
export function longestRun(text: string, minDigits = 0): number {
  let best = 0;
  for (const run of text.split(/[^0-9A-Z ]+/)) {
    const chars = run.replace(/ /g, '');
    if (chars.replace(/[^0-9]/g, '').length >= minDigits) best = Math.max(best, chars.length);
  }
  return best;
}

/**
 * Short pieces that sit in a row with another piece (a VIN split at wide spaces), at most
 * `max`: lone words and numbers cannot hold 17 characters and are not read.
 */
export function inRows(pieces: DetectedLine[], max = 8): DetectedLine[] {
  return pieces.filter((a) => pieces.some((b) => b !== a && rowMates(a, b))).slice(0, max);
}

/** Two pieces of similar height on one text row with at most 3 heights between them. */
function rowMates(a: DetectedLine, b: DetectedLine): boolean {
  if (a === b) return false;
  const t = Math.max(a.rect.thickness, b.rect.thickness);
  if (Math.min(a.rect.thickness, b.rect.thickness) < t / 1.6) return false;
  const dx = b.rect.cx - a.rect.cx, dy = b.rect.cy - a.rect.cy;
  const along = Math.abs(dx * a.rect.ux + dy * a.rect.uy), across = Math.abs(-dx * a.rect.uy + dy * a.rect.ux);
  return across < 0.5 * t && along - (a.rect.length + b.rect.length) / 2 < 3 * t;
}

/** Pieces of text lengthened into would-be VIN lines (one per row of pieces). */
function grownPieces(lines: DetectedLine[], max = 6): DetectedLine[] {
  const out: DetectedLine[] = [];
  const inside = (l: DetectedLine, g: DetectedLine) => {
    const dx = l.rect.cx - g.rect.cx, dy = l.rect.cy - g.rect.cy;
    return Math.abs(dx * g.rect.ux + dy * g.rect.uy) <= g.rect.length / 2 && Math.abs(-dx * g.rect.uy + dy * g.rect.ux) <= g.rect.thickness / 2;
  };
  for (const l of [...lines].sort((a, b) => b.rect.thickness - a.rect.thickness)) {
    if (out.length >= max) break;
    if (aspect(l) < FRAGMENT_MIN_ASPECT || out.some((g) => inside(l, g))) continue;
    out.push(padEnds(l, GROW_PAD));
  }
  return out;
}

async function findVins(
  engine: Engine,
  readers: VinReaders,
  img: RawImage,
  detectorSize: number,
  regions: readonly string[] | undefined,
  turnedAlready = false,
): Promise<{ cands: VinCandidateScored[]; sawText: boolean; seen: TextSeen }> {
  const lines = await detectText(engine, img, { maxSide: detectorSize });
  const scale = detInputSize(img.width, img.height, detectorSize).w / img.width;
  const seen: TextSeen = {
    legible: lines.filter((l) => aspect(l) >= VIN_LINE_MIN_ASPECT && !isVertical(l)).length,
    pieces: lines.filter((l) => aspect(l) < VIN_LINE_MIN_ASPECT).length,
    thinnest: Math.min(...lines.filter((l) => aspect(l) >= VIN_LINE_MIN_ASPECT && !isVertical(l)).map((l) => l.rect.thickness * scale)),
    angle: medianAngle(lines.filter((l) => aspect(l) >= VIN_LINE_MIN_ASPECT && !isVertical(l))),
  };
  if (lines.length === 0) return { cands: [], sawText: false, seen };
  if (!turnedAlready && mostlyVertical(lines)) {
    const turned = rotate90(img, 'cw');
    const tlines = await detectText(engine, turned, { maxSide: detectorSize });
    const cands = await findVinsIn(engine, readers, turned, tlines, true, regions);
    return { cands: cands.map((c) => unrotate(c, img.height)), sawText: true, seen: { ...seen, legible: 0 } };
  }
  return { cands: await findVinsIn(engine, readers, img, lines, turnedAlready, regions), sawText: true, seen };
}

/** A candidate found in the image turned 90° cw → in the original (height h). */
const unrotate = (c: VinCandidateScored, origH: number): VinCandidateScored => ({
  ...c,
  box: unrotateBox(c.box, origH),
  vertical: !c.vertical,
  // rotate90 cw maps (x, y) → (h-1-y, x): back is x = y', y = h-1-x'
  quad: c.quad.map((p) => ({ x: p.y, y: origH - p.x })),
});

/** Box in the 90°-cw-rotated image → box in the original (height h). */
function unrotateBox(b: Box, origH: number): Box {
  // rotate90 cw maps (x, y) → (h-1-y, x); invert: x = y', y = h-1-x'
  return { xmin: b.ymin, xmax: b.ymax, ymin: origH - b.xmax, ymax: origH - b.xmin };
}

const roundBox = (b: Box): Box => ({
  xmin: Math.round(b.xmin),
  ymin: Math.round(b.ymin),
  xmax: Math.round(b.xmax),
  ymax: Math.round(b.ymax),
});

function clampBox(b: Box, w: number, h: number): Box {
  return roundBox({
    xmin: Math.max(0, Math.min(w, b.xmin)),
    ymin: Math.max(0, Math.min(h, b.ymin)),
    xmax: Math.max(0, Math.min(w, b.xmax)),
    ymax: Math.max(0, Math.min(h, b.ymax)),
  });
}

export async function readVin(
  engine: Engine,
  readers: VinReaders,
  img: RawImage,
  options: Partial<VinOptions> = {},
): Promise<VinResponse> {
  const opts = { ...DEFAULT_VIN_OPTIONS, ...options };
  const sizes = opts.detectorSize ? [opts.detectorSize] : COARSE_TO_FINE;
  let cands: VinCandidateScored[] = [];
  let sawText = false;
  let first: TextSeen | null = null;
  for (const size of sizes) {
    if (size !== sizes[0] && Math.max(img.width, img.height) <= sizes[0]) break; // nothing finer to see
    // finer only when the coarse pass saw nothing, or small text it may have missed more of
    if (first && first.legible > 0 && first.thinnest >= BIG_TEXT_PX) break;
    const found = await findVins(engine, readers, img, size, opts.regions);
    sawText ||= found.sawText;
    first ??= found.seen;
    cands = betterOf(cands, found.cands);
    const b = best(cands);
    if (b && b.confidence >= TRUST_CONFIDENCE && b.checkDigit !== 'invalid') break;
  }
  if (!best(cands) && (!first || (first.legible < LEGIBLE_LINES && first.pieces >= SPLIT_PIECES))) {
    // a sideways sticker whose lines the detector split into glyphs: read it turned (not
    // when it saw whole horizontal lines, nor when it saw only a few pieces of text: the
    // text is upright, there is just no VIN in it)
    const turned = await findVins(engine, readers, rotate90(img, 'cw'), sizes[sizes.length - 1], opts.regions, true);
    cands = betterOf(cands, turned.cands.map((c) => unrotate(c, img.height)));
    sawText ||= turned.sawText;
  }
  const mode = opts.barcodes ?? 'auto';
  if (mode === 'always' || (mode === 'auto' && !conclusive(best(cands)))) {
    // tilt of the text OCR saw (a sticker's barcode shares it) for the linear reader
    // (else the detector's lines: a barcode-only sticker's text shares its tilt)
    const seen = best(cands) ?? cands[0];
    const q = seen?.quad;
    const skew = q && q.length === 4 ? (Math.atan2(q[1].y - q[0].y, q[1].x - q[0].x) * 180) / Math.PI : (first?.angle ?? 0);
    // zxing's thorough scan: its quick one misses Code 39 labels a few degrees off
    const bars = await readVinBarcodes(img, opts.regions, Math.abs(skew) < 45 ? skew : 0, seen?.vertical ?? false, true);
    cands = fuseBarcodes(cands, bars);
    if (bars.length) sawText = true;
  }
  // no answer and no candidate breaks its rules, unless asked for one as a last resort
  const answerable = best(cands) ? answerableOf(cands) : opts.allowRuleBreaking ? cands : [];
  if (answerable.length === 0) throw sawText ? errors.noVin() : errors.noText();
  const top = answerable.slice(0, opts.maxCandidates).map((c) => ({
    vin: c.vin,
    confidence: round4(c.confidence),
    box: clampBox((c.source === 'barcode' ? null : glyphBox(img, c.quad, c.inset)) ?? c.box, img.width, img.height),
    orientation: orientationOf(c),
  }));
  return { success: true, vin: top[0].vin, box: top[0].box, confidence: top[0].confidence, candidates: top, orientation: top[0].orientation };
}

const orientationOf = (c: VinCandidateScored) => (c.vertical ? 'vertical' : 'horizontal') as 'vertical' | 'horizontal';

/** The list whose best rule-passing reading ranks higher (any rule-passing one beats none). */
function betterOf(a: VinCandidateScored[], b: VinCandidateScored[]): VinCandidateScored[] {
  const ba = best(a), bb = best(b);
  if (ba && bb) return bb.rank > ba.rank ? b : a;
  if (ba || bb) return ba ? a : b;
  return (b[0]?.rank ?? -Infinity) > (a[0]?.rank ?? -Infinity) ? b : a;
}

const round4 = (x: number) => Math.round(x * 1e4) / 1e4;
