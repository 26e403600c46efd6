/**
 * VIN candidates from recognised text lines. Handles what generic OCR gets wrong on
 * VIN photos: labels glued to the number ("VIN:1HG…"), spaces splitting it, I/O/Q
 * read for 1/0, doubtful characters (repaired under the region rules its WMI implies
 * from the recogniser's next-best guesses and stamped-glyph look-alikes: repair.ts), and
 * look-alike distractor lines (ranked below by VIN structure priors). A reading that
 * breaks its rules is kept, marked `rulesOk: false`, for the caller to drop.
 */
import type { Point } from '../image/raw-image.ts';
import type { Box } from '../schemas.ts';
import type { ReadChar, ReadLine } from '../text/recognize-text.ts';
import { quadBounds } from '../text/geometry.ts';
import { isVinSyntax, MODEL_YEAR_CHARS, transliterateVinChar, VIN_LENGTH } from './check-digit.ts';
import { rulesFor } from './regions.ts';
import { repairUnderRules } from './repair.ts';
import { lookupWmi } from './wmi/index.ts';

export interface VinCandidateScored {
  vin: string;
  /** Reported confidence in 0..1. */
  confidence: number;
  /** Ranking score (confidence plus structure evidence). */
  rank: number;
  box: Box;
  /** 'invalid': the reading breaks its region rules (kept only as a last-resort candidate). */
  checkDigit: 'valid' | 'repaired' | 'invalid' | 'n/a';
  /** Follows a "VIN" label (or ends a line that has one). */
  labelled: boolean;
  /** Passes the region rules it is held to (see regions.ts) and spells no sticker words. */
  rulesOk: boolean;
  /** Region whose rules it passed (or, when it passes none, the one it was first held to). */
  region: string;
  /** Its characters run top↔bottom in the image the box is in. */
  vertical: boolean;
  /** From the first glyph's left edge to the last one's right, full line thickness: [tl, tr, br, bl]. */
  quad: Point[];
  /** Where the first / last glyph centres sit inside `quad`, as fractions of its length. */
  inset: [number, number];
  /** What read it (absent: OCR alone). */
  source?: 'barcode' | 'barcode+ocr';
  /** Probability of its least sure character (1 for a barcode read). */
  weakest: number;
}


interface Token {
  /** Read as a lower-case letter: VINs are printed in capitals. */
  lower: boolean;
  /** A space preceded this character: a word boundary a VIN may start at. */
  spaceBefore: boolean;
  ch: string;
  raw: string;
  prob: number;
  alts: { char: string; prob: number }[];
  corners: ReadChar['corners'];
}

/** Split a line into alnum runs (spaces dropped, other punctuation separates). */
export function alnumRuns(chars: readonly ReadChar[]): Token[][] {
  const runs: Token[][] = [];
  let cur: Token[] = [];
  let space = false;
  for (const c of chars) {
    if (c.char === ' ') {
      space = true;
      continue;
    }
    if (!/^[0-9A-Z]$/.test(c.char)) {
      if (cur.length) runs.push(cur);
      cur = [];
      continue;
    }
    cur.push({
      lower: c.lower === true,
      spaceBefore: space,
      ch: transliterateVinChar(c.char),
      raw: c.char,
      prob: c.prob,
      alts: c.alts
        .filter((a) => /^[0-9A-Z]$/.test(a.char))
        .map((a) => ({ char: transliterateVinChar(a.char), prob: a.prob })),
      corners: c.corners,
    });
    space = false;
  }
  if (cur.length) runs.push(cur);
  return runs;
}

function geometricMean(ps: readonly number[]): number {
  let s = 0;
  for (const p of ps) s += Math.log(Math.max(p, 1e-6));
  return Math.exp(s / ps.length);
}

/** Fewest characters read as digits (not transliterated) a VIN window must have. */
const MIN_READ_DIGITS = 4;

/** Rank penalty for a window that cuts a word: VINs are whole tokens (or space-split groups). */
const MID_WORD_PENALTY = 0.25;

/**
 * Words of the lines printed around VINs (door-sticker ratings, tyre data, document
 * fields). A window spelling one is a rating line read without its spaces
 * ("GAWR FRT 1196 KG" → "GAWRFRT1196KG…"; tyre size "265/45R20" → "26545R20"), not a VIN.
 */
// (document fields too, misread as they come: "REGISTRATION 12052019" read "REGSTAT0N12052019")
const STICKER_WORDS = /GVWR|GAWR|PSI|KPA|T[I1]RE|DATE|MFD|PAINT|TRIM|MODEL|W[I1]?TH|C[O0]LD|PRESS|REG[I1]?ST|AT[I1][O0]N|CERT[I1]F|[I1]DENT[I1]F|ENG[I1]NE|CAPAC|\d{5}R\d{2}|\d{3,4}KG|KG\d{3,4}|\d{3,4}LB/;
const STICKER_WORD_PENALTY = 0.4;

/** Labels of the other numbers on stickers (serial, part, lot), read with or without spaces. */
// (a VIN holds no O: "LOT" glued is a label too; "S/N" is often read with its slash lost or as
// an I: "SN ", "ISN " as a word of its own)
export const OTHER_NUMBER_LABEL = /(SER|PART) ?N[O0]|S[-/]N|(^|[^A-Z0-9])[I1]?S ?N[O0]?[ .:]|^ ?L[O0]T |^ ?LOT/;

/** "VIN" as a label, also with its I read as 1. */
const VIN_LABEL = /V[I1]N/;
const VIN_LABEL_START = /^V[I1]N/;

/**
 * Score one 17-token window: its readings that pass the region rules (repaired under them
 * from the recogniser's alternatives), or, when none does, the reading as it is, marked as
 * breaking them (`rulesOk: false`, confidence halved). Empty when it cannot be a VIN.
 */
export function scoreWindow(win: readonly Token[], labelled: boolean, cutsWords = 0, regions?: readonly string[]): VinCandidateScored[] {
  const read = win.map((t) => t.ch).join('');
  if (!isVinSyntax(read)) return [];
  // every VIN has a numeric serial part: words that only became "digits" by O→0 are text
  if (win.filter((t) => /[0-9]/.test(t.raw)).length < MIN_READ_DIGITS) return [];
  const raw = win.map((t) => t.raw).join('');
  // the label itself inside the window: the number was cut short (no VIN contains an I)
  const labelInside = VIN_LABEL_START.test(raw) || raw.includes('VIN'); // (no VIN holds an I)
  labelled &&= !labelInside;
  const box = quadBounds(win.flatMap((t) => t.corners));
  // a rating line read without its spaces, or the label inside: never a VIN, kept ranked low
  const wordy = STICKER_WORDS.test(raw) || labelInside;
  // reading direction: first glyph's left edge → last glyph's right edge
  const [f, l] = [win[0].corners[0], win[win.length - 1].corners[1]];
  const vertical = Math.abs(l.y - f.y) > Math.abs(l.x - f.x);
  const first = win[0].corners, last = win[win.length - 1].corners;
  const quad = [first[0], last[1], last[2], first[3]];
  const span = Math.max(1e-6, Math.hypot(quad[1].x - quad[0].x, quad[1].y - quad[0].y));
  const half = (c: Point[]) => Math.hypot(c[1].x - c[0].x, c[1].y - c[0].y) / 2 / span;
  const inset: [number, number] = [half(first), half(last)];
  const repaired = repairUnderRules(win, regions);
  type Reading = { vin: string; probs: number[]; check: VinCandidateScored['checkDigit']; rulesOk: boolean; region: string; changes: number };
  const readings: Reading[] = repaired.map((r) => ({
    vin: r.vin,
    probs: r.probs,
    check: r.changed.length ? 'repaired' : r.rules.checkDigit ? 'valid' : 'n/a',
    rulesOk: !wordy,
    region: r.rules.region,
    changes: r.changed.length,
  }));
  if (!readings.length) {
    readings.push({ vin: read, probs: win.map((t) => t.prob), check: 'invalid', rulesOk: false, region: rulesFor(read, regions)[0].region, changes: 0 });
  }
  return readings.map(({ vin, probs, check, rulesOk, region, changes }) => {
    const conf = geometricMean(probs);
    const factor = check === 'invalid' ? 0.5 : check === 'n/a' ? 0.95 : check === 'repaired' ? 0.9 : 1;
    const confidence = Math.min(1, Math.max(0, conf * factor));
    let rank = confidence - MID_WORD_PENALTY * cutsWords;
    // a check digit that holds as read is strong evidence; one that holds after changes, less
    if (check === 'valid') rank += 0.3;
    else if (check === 'repaired' && rulesFor(vin, regions).some((r) => r.checkDigit)) rank += changes > 1 ? 0.15 : 0.3;
    if (lookupWmi(vin).manufacturer !== null) rank += 0.05; // a WMI vPIC lists
    if (labelled) rank += 0.2;
    if (MODEL_YEAR_CHARS.includes(vin[9])) rank += 0.05;
    if (/^[0-9]{4}$/.test(vin.slice(13))) rank += 0.05; // serial numbers end in digits
    if (/^0/.test(vin)) rank -= 0.2; // no WMI starts with 0
    // characters a VIN cannot hold were read as such: weaker evidence
    rank -= 0.02 * win.filter((t) => /[IOQ]/.test(t.raw)).length;
    // running text ("in any registration") folded to capitals is not a VIN
    rank -= 0.04 * win.filter((t) => t.lower).length;
    if (wordy) rank -= STICKER_WORD_PENALTY;
    return { vin, confidence, rank, box, checkDigit: check, labelled, rulesOk, region, vertical, quad, inset, weakest: Math.min(...probs) };
  });
}

/** Every plausible VIN in the lines, best first, one entry per distinct VIN. */
export function extractVins(lines: readonly ReadLine[], regions?: readonly string[]): VinCandidateScored[] {
  const found = new Map<string, VinCandidateScored>();
  const rows = rowsOf(lines);
  const sequences = [...lines.map((l) => l.chars), ...rows.map((row) => row.flatMap((l) => l.chars))];
  // a serial / part / lot number's line (or a row with that label in it): its 17-character
  // runs are that number, not a VIN
  const labelledOther = new Set<ReadChar[]>();
  for (const row of rows) {
    if (OTHER_NUMBER_LABEL.test(row.map((l) => l.chars.map((c) => c.char).join('')).join(' '))) for (const l of row) labelledOther.add(l.chars);
  }
  for (const chars of sequences) {
    const otherNumber = labelledOther.has(chars) || OTHER_NUMBER_LABEL.test(chars.map((c) => c.char).join(''));
    // a serial / part number is not a VIN however its run is re-read (CTC doubles repaired too)
    const demote = (c: VinCandidateScored) => (otherNumber && !c.labelled ? { ...c, rulesOk: false, rank: c.rank - STICKER_WORD_PENALTY } : c);
    for (const run of alnumRuns(chars)) {
      for (const cand of [...collapsedDoubles(run, regions), ...doubledOnce(run, regions)].map(demote)) {
        const prev = found.get(cand.vin);
        if (!prev || cand.rank > prev.rank) found.set(cand.vin, cand);
      }
      if (run.length < VIN_LENGTH) continue;
      const raw = run.map((t) => t.raw).join('');
      const labelledLine = VIN_LABEL.test(chars.map((c) => c.char).join(''));
      // where a word starts with the label (runs span spaces: "NUMBER VINYV1…" is one run);
      // the window right after a glued label is labelled and cuts no word
      const labelWords = run.flatMap((t, j) => ((j === 0 || t.spaceBefore) && VIN_LABEL_START.test(raw.slice(j, j + 3)) ? [j] : []));
      const afterLabel = new Set(labelWords.map((j) => j + 3));
      const labelStart = VIN_LABEL_START.test(raw) && run.length >= VIN_LENGTH + 3 ? 3 : -1;
      for (let s = 0; s + VIN_LENGTH <= run.length; s++) {
        const e = s + VIN_LENGTH;
        const cuts = Number(!(s === 0 || afterLabel.has(s) || run[s].spaceBefore)) + Number(!(e === run.length || run[e].spaceBefore));
        const startsWord = s === 0 || run[s].spaceBefore;
        // a window starting inside a glued "VIN" label takes the label's letters for the VIN's
        // ("VINYV1…" with the last glyph lost read as NYV1…): never a VIN, kept ranked low
        const inLabel = labelWords.some((j) => s > j && s < j + 3);
        for (const c of scoreWindow(run.slice(s, e), afterLabel.has(s) || (labelStart < 0 && labelledLine && startsWord), cuts, regions)) {
          const cand = inLabel ? { ...demote(c), rulesOk: false, rank: c.rank - STICKER_WORD_PENALTY } : demote(c);
          const prev = found.get(cand.vin);
          if (!prev || cand.rank > prev.rank) found.set(cand.vin, cand);
        }
      }
    }
  }
  return [...found.values()].sort((a, b) => b.rank - a.rank);
}

/**
 * A 16-character read of a check-digit VIN is often a doubled character that CTC
 * collapsed ("YY" → "Y"): re-double each position and keep what validates.
 */
export function collapsedDoubles(run: readonly Token[], regions?: readonly string[]): VinCandidateScored[] {
  const raw = run.map((t) => t.raw).join('');
  const body = VIN_LABEL_START.test(raw) && run.length === VIN_LENGTH + 2 ? run.slice(3) : run;
  if (body.length !== VIN_LENGTH - 1) return [];
  const out: VinCandidateScored[] = [];
  for (let i = 0; i < body.length; i++) {
    const win = [...body.slice(0, i + 1), body[i], ...body.slice(i + 1)];
    for (const c of scoreWindow(win, false, 0, regions)) if (c.checkDigit === 'valid') out.push(c);
  }
  // a guess the image did not show: below a clean read, and split when several doublings validate
  return out.map((c) => ({ ...c, confidence: (c.confidence * 0.8) / out.length, rank: c.rank - 0.15 - 0.1 * (out.length - 1) }));
}

/**
 * An 18-character read of a check-digit VIN with one glyph seen twice (a stamped glyph
 * with a wide gap, a dot-peened one read per column): drop one of each doubled pair and
 * keep what validates as read, no other change.
 */
export function doubledOnce(run: readonly Token[], regions?: readonly string[]): VinCandidateScored[] {
  if (run.length !== VIN_LENGTH + 1) return [];
  const out = new Map<string, VinCandidateScored>();
  for (let i = 1; i < run.length; i++) {
    if (run[i].ch !== run[i - 1].ch) continue;
    for (const c of scoreWindow([...run.slice(0, i), ...run.slice(i + 1)], false, 0, regions)) {
      if (c.checkDigit === 'valid') out.set(c.vin, c);
    }
  }
  const n = out.size;
  return [...out.values()].map((c) => ({ ...c, confidence: (c.confidence * 0.8) / n, rank: c.rank - 0.15 - 0.1 * (n - 1) }));
}

/**
 * Lines that sit on one row (similar height, centres aligned, small gap) joined in
 * reading order: catches a VIN the detector split at wide spaces.
 */
export function mergeRows(lines: readonly ReadLine[]): ReadChar[][] {
  return rowsOf(lines).map((row) => row.flatMap((l) => l.chars));
}

/** Lines that sit on one row (see mergeRows), each row in reading order. */
export function rowsOf(lines: readonly ReadLine[]): ReadLine[][] {
  type L = { line: ReadLine; cx: number; cy: number; h: number; x0: number; x1: number };
  const ls: L[] = lines
    .filter((l) => l.chars.length > 0)
    .map((line) => {
      const b = quadBounds(line.quad);
      const h = Math.hypot(line.quad[3].x - line.quad[0].x, line.quad[3].y - line.quad[0].y);
      return { line, cx: (b.xmin + b.xmax) / 2, cy: (b.ymin + b.ymax) / 2, h, x0: b.xmin, x1: b.xmax };
    })
    .filter((l) => Math.abs(l.line.quad[1].y - l.line.quad[0].y) < 0.3 * Math.abs(l.line.quad[1].x - l.line.quad[0].x));
  ls.sort((a, b) => a.x0 - b.x0);
  const used = new Set<L>();
  const rows: ReadLine[][] = [];
  for (const a of ls) {
    if (used.has(a)) continue;
    const row = [a];
    let last = a;
    for (const b of ls) {
      if (b === a || used.has(b) || b.x0 < last.x0) continue;
      const sameRow = Math.abs(b.cy - last.cy) < 0.4 * last.h && Math.abs(b.h - last.h) < 0.4 * last.h;
      const gap = b.x0 - last.x1;
      if (sameRow && gap > -0.5 * last.h && gap < 3 * last.h) {
        row.push(b);
        last = b;
      }
    }
    if (row.length > 1) {
      row.forEach((r) => used.add(r));
      rows.push(row.map((r) => r.line));
    }
  }
  return rows;
}
