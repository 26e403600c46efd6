/**
 * Deterministic synthetic VIN scenes with ground truth, for tests and benchmarks.
 *
 *   const s = generateVinScene(42, { kind: 'door-sticker' });
 *   s.bytes // PNG/JPEG, s.vin, s.box (VIN text bounds in image pixels)
 */
import { computeCheckDigit, MODEL_YEAR_CHARS, VIN_ALPHABET } from '../../src/vin/check-digit.ts';
import { rulesForVin } from '../../src/vin/regions.ts';
import { Rng } from './rng.ts';
import {
  boxUnder,
  drawBarcode,
  drawClutterBackground,
  ensureFonts,
  finishAndEncode,
  font,
  fontSizeForCap,
  hsl,
  newCanvas,
  pixels,
  placeObject,
  randomFinish,
  roundBox,
  roundRect,
  textBox,
  warpOntoCanvas,
  type Box,
  type Ctx,
} from './render.ts';
import type { Canvas } from '@napi-rs/canvas';

export type VinSceneKind = 'door-sticker' | 'windshield-plate' | 'stamped-metal' | 'document' | 'rotated-sticker';

export const VIN_SCENE_KINDS: readonly VinSceneKind[] = [
  'door-sticker',
  'windshield-plate',
  'stamped-metal',
  'document',
  'rotated-sticker',
];

export interface VinScene {
  /** Encoded PNG or JPEG. */
  bytes: Uint8Array;
  width: number;
  height: number;
  vin: string;
  /** The VIN text's axis-aligned box in image pixels (after all transforms, clipped to the image). */
  box: { xmin: number; ymin: number; xmax: number; ymax: number };
  kind: VinSceneKind;
  /** What the VIN is on, for per-surface tables: the kind, with stamped metal split by how it was marked. */
  surface: VinSurface;
  seed: number;
  format: 'png' | 'jpeg';
  /** Whether the VIN is printed with spaces between groups (windshield plates sometimes). */
  spaced: boolean;
  /** The VIN barcode's box, when the scene has a real one. */
  barcodeBox?: { xmin: number; ymin: number; xmax: number; ymax: number };
  /** Nominal VIN capital height in px before perspective jitter. */
  charHeight: number;
}

export type VinSurface = 'sticker' | 'windshield' | 'document' | 'stamped' | 'dot-peened' | 'turned-sticker' | 'barcode';

/** A real barcode of the VIN for a door sticker (modules from zxing-wasm's writer: vin-barcode-scenes.ts). */
export interface VinBarcodeSpec {
  /** One byte per module, 0 = dark, row-major. */
  modules: { data: Uint8ClampedArray; width: number; height: number };
  /** Code 39 (bars) rather than a 2-D code. */
  linear: boolean;
  /** Only the barcode carries the VIN (its text is not printed). */
  textless?: boolean;
  format: 'Code39' | 'DataMatrix' | 'QRCode';
}

/**
 * A linear code's bars and spaces as [dark, width in narrow units]: the writer's Code 39
 * has wide elements 2 narrow wide; printed VIN labels use 3:1, easier to read, so 2 → 3.
 */
const union = (a: Box, b: Box): Box => ({ xmin: Math.min(a.xmin, b.xmin), ymin: Math.min(a.ymin, b.ymin), xmax: Math.max(a.xmax, b.xmax), ymax: Math.max(a.ymax, b.ymax) });

function linearRuns(code: VinBarcodeSpec): [boolean, number][] {
  const { data, width } = code.modules;
  const runs: [boolean, number][] = [];
  for (let c = 0; c < width; ) {
    let e = c;
    while (e + 1 < width && data[e + 1] === data[c]) e++;
    const n = e - c + 1;
    runs.push([data[c] === 0, n === 2 ? 3 : n]);
    c = e + 1;
  }
  return runs;
}

/** Width of a code in modules (narrow units for a linear one). */
const codeWidth = (code: VinBarcodeSpec) => (code.linear ? linearRuns(code).reduce((a, r) => a + r[1], 0) : code.modules.width);

/** Draw barcode modules at `unit` px each (a linear code's bars stretched to height h). */
function drawModules(ctx: Ctx, code: VinBarcodeSpec, x: number, y: number, unit: number, h: number, ink: string): void {
  const { data, width, height } = code.modules;
  ctx.fillStyle = ink;
  if (code.linear) {
    let cx = x;
    for (const [dark, n] of linearRuns(code)) {
      if (dark) ctx.fillRect(cx, y, n * unit, h);
      cx += n * unit;
    }
    return;
  }
  for (let r = 0; r < height; r++) for (let c = 0; c < width; c++) if (data[r * width + c] === 0) ctx.fillRect(x + c * unit, y + r * unit, unit, unit);
}

export interface VinSceneOptions {
  /** Stamped metal only: force engraved ('stamped') or dot-peened glyphs (default: either, 50/50). */
  marking?: 'stamped' | 'dot-peened';
  /**
   * A photo without a VIN: the same object with its VIN cut to 11 characters (a part
   * number). `vin` is then ''.
   */
  withoutVin?: boolean;
  /**
   * Stickers: the part-number line becomes a North-American-looking 17-character number
   * whose check digit holds (as a distractor can by chance), not the usual non-VIN serial.
   */
  luckyDistractor?: boolean;
  /** Door stickers only: print a real barcode of the VIN instead of the decorative one. */
  barcode?: VinBarcodeSpec;
  kind?: VinSceneKind;
  width?: number;
  height?: number;
  format?: 'png' | 'jpeg';
}

// ---------------------------------------------------------------- VIN text

const NA_WMI = ['1HG', '1FT', '1G1', '1GC', '2T1', '2HG', '3VW', '3FA', '4T1', '4S3', '5YJ', '5NP', '1C4', '1N4', '2G1', '3N1', '5FN', '1FA', '4JG', '5UX'];
const CN_WMI = ['LSV', 'LFV', 'LVS', 'LHG', 'LGB', 'LBV', 'LRW', 'LVV', 'LGX', 'LSG'];
const OTHER_WMI = ['WVW', 'WBA', 'WDB', 'WAU', 'WP0', 'VF1', 'VF3', 'VSS', 'ZFA', 'ZAR', 'SAL', 'SJN', 'JHM', 'JTD', 'JN1', 'KMH', 'KNA', 'YV1', 'TMB', 'WF0', 'JMZ', 'SCC'];
const DIGITS = '0123456789';

/** A random VIN: ~45 % North-American, ~20 % Chinese (both with a valid check digit), rest European/Asian; each meets its WMI's region rules. */
export function randomVin(rng: Rng): string {
  const region = rng.next();
  const wmi = region < 0.45 ? rng.pick(NA_WMI) : region < 0.65 ? rng.pick(CN_WMI) : rng.pick(OTHER_WMI);
  const c: string[] = wmi.split('');
  for (let i = 3; i < 8; i++) c.push(rng.char(VIN_ALPHABET));
  c.push(rng.char(VIN_ALPHABET)); // 9: check / free
  c.push(rng.char(MODEL_YEAR_CHARS)); // 10: model year
  c.push(rng.char(VIN_ALPHABET)); // 11: plant
  const numericSerial = rng.chance(0.7);
  for (let i = 11; i < 17; i++) c.push(numericSerial || i > 12 ? rng.char(DIGITS) : rng.char(VIN_ALPHABET));
  // doubled characters (e.g. "YY", "11", "00") are common in real VINs
  const doubles = rng.chance(0.55) ? rng.int(1, 2) : 0;
  for (let d = 0; d < doubles; d++) {
    const i = rng.pick([3, 4, 5, 6, 10, 11, 12, 13, 14, 15]);
    c[i + 1] = c[i];
  }
  // meet the rules the WMI implies (9th digit or X, last four digits: regions.ts) without
  // drawing from the rng again, so every other scene stays as it was
  const rules = rulesForVin(c.join(''));
  const digitFor = (ch: string) => String(ch.charCodeAt(0) % 10);
  if (rules.ninthDigitOrX && !/[0-9X]/.test(c[8])) c[8] = digitFor(c[8]);
  if (rules.lastFourDigits) for (let i = 13; i < 17; i++) if (!/[0-9]/.test(c[i])) c[i] = digitFor(c[i]);
  let vin = c.join('');
  if (rules.checkDigit) vin = vin.slice(0, 8) + computeCheckDigit(vin) + vin.slice(9);
  return vin;
}

/** A 15–18 character serial/part number that is NOT a VIN (wrong length or contains I/O/Q). */
function fakeSerial(rng: Rng): string {
  const len = rng.pick([15, 16, 17, 17, 18]);
  const abc = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  const s: string[] = [];
  for (let i = 0; i < len; i++) s.push(rng.chance(0.6) ? rng.char(DIGITS) : rng.char(abc));
  if (len === 17) s[rng.int(0, 16)] = rng.pick(['I', 'O', 'Q']);
  return s.join('');
}

/** What stands where the VIN would: its first 11 characters (a part number; no 17-character run). */
const notAVin = (vin: string) => vin.slice(0, 11);

/** A 17-character number with a valid check digit, made from the VIN without drawing from the rng. */
function luckyDistractor(vin: string): string {
  const body = `1FT${vin.slice(3, 8).split('').reverse().join('')}0${vin.slice(9, 11)}${vin.slice(11).split('').reverse().join('')}`;
  return body.slice(0, 8) + computeCheckDigit(body) + body.slice(9);
}

function spacedVin(vin: string, rng: Rng): string {
  return rng.chance(0.5)
    ? `${vin.slice(0, 3)} ${vin.slice(3, 8)} ${vin.slice(8)}`
    : `${vin.slice(0, 3)} ${vin.slice(3, 9)} ${vin.slice(9, 11)} ${vin.slice(11)}`;
}

// ---------------------------------------------------------------- objects

interface RenderedObject {
  /** Set by stamped metal: how the glyphs were marked. */
  dotted?: boolean;
  /** Set by stickers with a real VIN barcode: where it is. */
  barcodeRect?: Box;
  canvas: Canvas;
  vinRect: Box;
  spaced: boolean;
}

const MAKERS = [
  'HONDA OF AMERICA MFG., INC.',
  'TOYOTA MOTOR MANUFACTURING KENTUCKY, INC.',
  'FORD MOTOR COMPANY',
  'GENERAL MOTORS LLC',
  'VOLKSWAGEN AG',
  'BMW AG',
  'HYUNDAI MOTOR MANUFACTURING ALABAMA',
  'NISSAN NORTH AMERICA, INC.',
  'SAIC VOLKSWAGEN AUTOMOTIVE CO., LTD.',
  'KIA CORPORATION',
  'FCA US LLC',
  'TESLA, INC.',
];
const STICKER_FONTS = ['GenDIN', 'GenLibSans', 'GenLibNarrow', 'GenRobotoCond', 'GenDejaVuSans', 'GenB612', 'GenLibSansBold'];
const VIN_FONTS = ['GenOCRB', 'GenDIN', 'GenLibMono', 'GenDejaVuMono', 'GenB612Mono', 'GenLibSansBold', 'GenRobotoCondBold', 'GenLibNarrowBold'];

interface Seg {
  text: string;
  family: string;
  cap: number;
  dx: number; // x offset from the previous segment's end (or the left pad)
  right?: boolean; // right-aligned at the sticker edge
  isVin?: boolean;
  color?: string;
}
interface Row {
  segs: Seg[];
  gapBefore: number;
  barcode?: { h: number; w: number };
}

function kgLb(rng: Rng, lo: number, hi: number): string {
  const kg = rng.int(lo, hi);
  return `${kg} KG (${Math.round(kg * 2.2046)} LB)`;
}

function wrapWords(ctx: Ctx, text: string, maxW: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const w of text.split(' ')) {
    const t = line ? `${line} ${w}` : w;
    if (line && ctx.measureText(t).width > maxW) {
      out.push(line);
      line = w;
    } else line = t;
  }
  if (line) out.push(line);
  return out;
}

/** FMVSS-style certification label with distractor lines, barcode and the VIN. */
function renderDoorSticker(rng: Rng, vin: string, cap: number, code?: VinBarcodeSpec, luckySerial = false): RenderedObject {
  const scratch = newCanvas(4, 4).ctx;
  const fam = rng.pick(STICKER_FONTS);
  const vinFam = rng.chance(0.5) ? fam : rng.pick(VIN_FONTS);
  const small = cap * rng.range(0.6, 0.95);
  const tiny = cap * rng.range(0.45, 0.65);
  const ink = rng.chance(0.7) ? '#111' : hsl(rng.range(200, 240), 40, 18);
  const vinFs = fontSizeForCap(scratch, vinFam, cap);
  scratch.font = font(vinFs, vinFam);
  const vinW = scratch.measureText(vin).width;
  const pad = cap * rng.range(0.8, 1.6);
  const contentW = vinW * rng.range(1.25, 1.6);

  const rows: Row[] = [];
  const lineGap = () => small * rng.range(0.6, 1.0);
  rows.push({
    segs: [
      { text: `MFD BY: ${rng.pick(MAKERS)}`, family: fam, cap: small, dx: 0 },
    ],
    gapBefore: 0,
  });
  rows.push({
    segs: [
      { text: 'DATE:', family: fam, cap: small, dx: 0 },
      { text: `${String(rng.int(1, 12)).padStart(2, '0')}/${String(rng.int(10, 25))}`, family: fam, cap: small, dx: small * 0.6 },
      { text: `GVWR: ${kgLb(rng, 1500, 3200)}`, family: fam, cap: small, dx: small * 2.5 },
    ],
    gapBefore: lineGap(),
  });
  rows.push({
    segs: [{ text: `GAWR FRT: ${kgLb(rng, 800, 1600)} WITH P${rng.int(19, 27)}5/${rng.int(4, 7)}5R${rng.int(15, 20)} TIRES`, family: fam, cap: small, dx: 0 }],
    gapBefore: lineGap(),
  });
  rows.push({
    segs: [{ text: `GAWR RR: ${kgLb(rng, 700, 1500)} COLD TIRE PRESSURE ${rng.int(200, 260)} KPA (${rng.int(30, 38)} PSI)`, family: fam, cap: small, dx: 0 }],
    gapBefore: lineGap(),
  });
  scratch.font = font(fontSizeForCap(scratch, fam, tiny), fam);
  const legal = wrapWords(
    scratch,
    'THIS VEHICLE CONFORMS TO ALL APPLICABLE U.S. FEDERAL MOTOR VEHICLE SAFETY, BUMPER, AND THEFT PREVENTION STANDARDS IN EFFECT ON THE DATE OF MANUFACTURE SHOWN ABOVE.',
    contentW,
  );
  for (const l of legal) rows.push({ segs: [{ text: l, family: fam, cap: tiny, dx: 0 }], gapBefore: tiny * 0.7 });

  // the VIN row(s)
  const type = rng.pick(['PASS CAR', 'MPV', 'TRUCK', 'PASSENGER CAR', 'MULTIPURPOSE PASS VEH']);
  const labelStyle = rng.int(0, 2); // 0 "VIN:" same line, 1 "VIN" same line, 2 label above
  const barcodeAbove = rng.chance(0.5);
  const bc = { h: cap * rng.range(1.2, 2.2), w: Math.min(contentW, vinW * rng.range(0.9, 1.3)) };
  // a real VIN barcode: module size from the text size (≥ 2 px a bar, ≥ 3 px a 2-D cell)
  const unit = code ? (code.linear ? Math.max(2, cap * 0.1) : Math.max(3, cap * 0.2)) : 0;
  if (code) {
    bc.w = codeWidth(code) * unit;
    bc.h = code.linear ? Math.max(bc.h, cap * 1.6) : code.modules.height * unit;
  }
  const vinRows: Row[] = [];
  if (labelStyle === 2) {
    vinRows.push({ segs: [{ text: rng.pick(['VIN', 'V.I.N.', 'VEHICLE IDENTIFICATION NUMBER']), family: fam, cap: small, dx: 0 }], gapBefore: lineGap() * 1.5 });
    vinRows.push({ segs: [{ text: vin, family: vinFam, cap, dx: 0, isVin: true }], gapBefore: small * 0.5 });
  } else {
    vinRows.push({
      segs: [
        { text: labelStyle === 0 ? 'VIN:' : 'VIN', family: fam, cap: rng.chance(0.5) ? cap : small, dx: 0 },
        { text: vin, family: vinFam, cap, dx: cap * rng.range(0.35, 0.9), isVin: true },
        ...(rng.chance(0.5) ? [{ text: `TYPE: ${type}`, family: fam, cap: small, dx: 0, right: true }] : []),
      ],
      gapBefore: lineGap() * 1.5,
    });
  }
  const barcodeRow: Row = { segs: [], gapBefore: small * 0.5, barcode: bc };
  if (barcodeAbove) rows.push({ ...barcodeRow, gapBefore: lineGap() * 1.5 }, ...vinRows);
  else rows.push(...vinRows, barcodeRow);
  if (!vinRows[vinRows.length - 1].segs.some((s) => s.right)) {
    rows.push({ segs: [{ text: `TYPE: ${type}`, family: fam, cap: small, dx: 0 }], gapBefore: lineGap() });
  }
  rows.push({
    segs: [
      { text: rng.pick(['SER NO.', 'PART NO.', 'S/N', 'LOT']), family: fam, cap: small, dx: 0 },
      { text: luckySerial ? luckyDistractor(vin) : fakeSerial(rng), family: rng.chance(0.5) ? vinFam : fam, cap: small * rng.range(0.9, 1.1), dx: small * 0.6 },
    ],
    gapBefore: lineGap(),
  });
  rows.push({
    segs: [
      { text: `PAINT: ${rng.pick(['NH', 'B', 'R', 'YR'])}${rng.int(100, 799)}${rng.pick(['P', 'M', ''])}`, family: fam, cap: small, dx: 0 },
      { text: `TRIM: ${rng.pick(['BK', 'GR', 'TN', 'A', 'LB3'])}`, family: fam, cap: small, dx: small * 2 },
      { text: `MADE IN ${rng.pick(['U.S.A.', 'JAPAN', 'GERMANY', 'CHINA', 'KOREA', 'MEXICO', 'CANADA'])}`, family: fam, cap: small, dx: small * 2 },
    ],
    gapBefore: lineGap(),
  });

  // layout: measure
  interface Placed { seg: Seg; x: number; baseline: number; fs: number }
  const placed: Placed[] = [];
  let y = pad;
  const header = rng.chance(0.45);
  const headerH = header ? cap * rng.range(1.6, 2.4) : 0;
  y += headerH;
  let maxRight = pad + contentW;
  const barcodes: { x: number; y: number; w: number; h: number }[] = [];
  for (const row of rows) {
    y += row.gapBefore;
    if (row.barcode) {
      barcodes.push({ x: pad + rng.range(0, Math.max(0, contentW - row.barcode.w)), y, w: row.barcode.w, h: row.barcode.h });
      if (code) {
        // quiet zones: 12 modules clear of the label's border line on both sides
        const b = barcodes[barcodes.length - 1];
        b.x = Math.max(b.x, pad * 0.4 + 12 * unit);
        maxRight = Math.max(maxRight, b.x + row.barcode.w + 12 * unit);
      }
      y += row.barcode.h;
      continue;
    }
    const rowCap = Math.max(...row.segs.map((s) => s.cap));
    y += rowCap;
    let x = pad;
    for (const s of row.segs) {
      const fs = fontSizeForCap(scratch, s.family, s.cap);
      scratch.font = font(fs, s.family);
      const w = scratch.measureText(s.text).width;
      if (s.right) {
        const xr = Math.max(x + cap, pad + contentW - w);
        placed.push({ seg: s, x: xr, baseline: y, fs });
        x = xr + w;
      } else {
        x += s.dx;
        placed.push({ seg: s, x, baseline: y, fs });
        x += w;
      }
      maxRight = Math.max(maxRight, x);
    }
  }
  const W = maxRight + pad;
  const H = y + pad * rng.range(0.8, 1.5);

  const { canvas, ctx } = newCanvas(W, H);
  // label stock
  const base = rng.pick(['white', 'white', 'silver', 'cream']);
  const [hh, ss, ll] = base === 'white' ? [50, 5, 95] : base === 'silver' ? [210, 6, 80] : [48, 35, 90];
  const g = ctx.createLinearGradient(0, 0, W * rng.range(0.5, 1.5), H);
  g.addColorStop(0, hsl(hh, ss, ll + rng.range(-3, 3)));
  g.addColorStop(1, hsl(hh, ss, ll - rng.range(2, 12)));
  ctx.fillStyle = g;
  roundRect(ctx, 0, 0, W, H, cap * rng.range(0.1, 0.6));
  ctx.fill();
  ctx.save();
  ctx.clip();
  if (header) {
    ctx.fillStyle = ink;
    ctx.fillRect(0, 0, W, pad * 0.6 + headerH);
    const hf = fontSizeForCap(ctx, fam, headerH * 0.45);
    ctx.font = font(hf, fam);
    ctx.fillStyle = hsl(hh, ss, ll);
    ctx.fillText(rng.pick(['SAFETY CERTIFICATION', 'VEHICLE INFORMATION', 'MANUFACTURER LABEL', 'TIRE AND LOADING INFORMATION']), pad, pad * 0.3 + headerH * 0.72);
  }
  if (rng.chance(0.5)) {
    ctx.strokeStyle = ink;
    ctx.lineWidth = Math.max(1, cap * 0.08);
    ctx.strokeRect(pad * 0.4, pad * 0.4 + headerH, W - pad * 0.8, H - pad * 0.8 - headerH);
  }
  let vinRect: Box | null = null;
  ctx.fillStyle = ink;
  for (const p of placed) {
    ctx.font = font(p.fs, p.seg.family);
    ctx.fillStyle = p.seg.color ?? ink;
    if (!(p.seg.isVin && code?.textless)) ctx.fillText(p.seg.text, p.x, p.baseline);
    if (p.seg.isVin) vinRect = textBox(ctx, p.seg.text, p.x, p.baseline);
  }
  for (const b of barcodes) {
    if (code) drawModules(ctx, code, b.x, b.y, unit, b.h, ink);
    else drawBarcode(ctx, rng, b.x, b.y, b.w, b.h, ink);
  }
  const barcodeRect = code && barcodes[0] ? { xmin: barcodes[0].x, ymin: barcodes[0].y, xmax: barcodes[0].x + barcodes[0].w, ymax: barcodes[0].y + barcodes[0].h } : undefined;
  // lighting / grime
  const lg = ctx.createLinearGradient(rng.range(0, W), 0, rng.range(0, W), H);
  lg.addColorStop(0, `rgba(0,0,0,${rng.range(0, 0.25).toFixed(3)})`);
  lg.addColorStop(1, `rgba(255,255,255,${rng.range(0, 0.2).toFixed(3)})`);
  ctx.fillStyle = lg;
  ctx.fillRect(0, 0, W, H);
  ctx.restore();
  if (!vinRect) throw new Error('internal: VIN not placed');
  return { canvas, vinRect, spaced: false, barcodeRect };
}

/** Small riveted aluminium plate (dashboard, read through the windshield). */
function renderWindshieldPlate(rng: Rng, vin: string, cap: number): RenderedObject {
  const spaced = rng.chance(0.4);
  const text = spaced ? spacedVin(vin, rng) : vin;
  const fam = rng.pick(['GenOCRB', 'GenDIN', 'GenLibMonoBold', 'GenDejaVuMono', 'GenRobotoCondBold', 'GenB612Mono', 'GenLibSansBold']);
  const scratch = newCanvas(4, 4).ctx;
  const fs = fontSizeForCap(scratch, fam, cap);
  scratch.font = font(fs, fam);
  const tw = scratch.measureText(text).width;
  const rivet = rng.chance(0.7);
  const padX = cap * rng.range(0.6, 1.2) + (rivet ? cap * 1.4 : 0);
  const padY = cap * rng.range(0.45, 0.9);
  const W = tw + 2 * padX;
  const H = cap + 2 * padY;
  const { canvas, ctx } = newCanvas(W, H);
  const l = rng.range(62, 85);
  const g = ctx.createLinearGradient(0, 0, W * rng.range(0.2, 1), H);
  g.addColorStop(0, hsl(40, rng.range(0, 8), l + 8));
  g.addColorStop(0.5, hsl(40, rng.range(0, 8), l - 6));
  g.addColorStop(1, hsl(40, rng.range(0, 8), l + 3));
  ctx.fillStyle = g;
  roundRect(ctx, 0, 0, W, H, Math.min(H / 2, cap * rng.range(0.1, 0.4)));
  ctx.fill();
  // brushed streaks
  ctx.save();
  ctx.clip();
  for (let i = 0; i < 40; i++) {
    ctx.strokeStyle = `rgba(${rng.chance(0.5) ? '255,255,255' : '0,0,0'},${rng.range(0.03, 0.1).toFixed(3)})`;
    ctx.lineWidth = rng.range(0.5, 1.5);
    const yy = rng.range(0, H);
    ctx.beginPath();
    ctx.moveTo(0, yy);
    ctx.lineTo(W, yy + rng.range(-2, 2));
    ctx.stroke();
  }
  ctx.restore();
  if (rivet) {
    for (const cx of [padX * 0.4, W - padX * 0.4]) {
      const r = cap * 0.28;
      const rg = ctx.createRadialGradient(cx - r * 0.3, H / 2 - r * 0.3, r * 0.1, cx, H / 2, r);
      rg.addColorStop(0, '#eee');
      rg.addColorStop(1, '#555');
      ctx.fillStyle = rg;
      ctx.beginPath();
      ctx.arc(cx, H / 2, r, 0, Math.PI * 2);
      ctx.fill();
    }
  }
  ctx.font = font(fs, fam);
  const x = (W - tw) / 2;
  const baseline = padY + cap;
  const emboss = rng.chance(0.5);
  if (emboss) {
    ctx.fillStyle = 'rgba(255,255,255,0.7)';
    ctx.fillText(text, x + cap * 0.05, baseline + cap * 0.05);
  }
  ctx.fillStyle = hsl(0, 0, rng.range(5, 25));
  ctx.fillText(text, x, baseline);
  return { canvas, vinRect: textBox(ctx, text, x, baseline), spaced };
}

/** Grey metal with engraved or dot-peened VIN, low contrast. */
function renderStampedMetal(rng: Rng, vin: string, cap: number, marking?: 'stamped' | 'dot-peened'): RenderedObject {
  const coin = rng.chance(0.5); // drawn either way, so forcing the marking keeps the rest of the scene
  const dotted = marking ? marking === 'dot-peened' : coin;
  const fam = dotted ? rng.pick(['GenDejaVuMonoBold', 'GenLibMonoBold', 'GenOCRB']) : rng.pick(['GenOCRB', 'GenDIN', 'GenDejaVuMono', 'GenLibMono', 'GenB612Mono']);
  const scratch = newCanvas(4, 4).ctx;
  const fs = fontSizeForCap(scratch, fam, cap);
  scratch.font = font(fs, fam);
  const tw = scratch.measureText(vin).width * (dotted ? 1.08 : 1);
  const W = tw + cap * rng.range(2, 8);
  const H = cap * rng.range(3, 7);
  const { canvas, ctx } = newCanvas(W, H);
  const hue = rng.range(20, 220);
  const l = rng.range(35, 65);
  const sat = rng.range(0, 12);
  const g = ctx.createLinearGradient(0, rng.range(0, H), W, rng.range(0, H));
  g.addColorStop(0, hsl(hue, sat, l + rng.range(0, 12)));
  g.addColorStop(1, hsl(hue, sat, l - rng.range(0, 12)));
  ctx.fillStyle = g;
  ctx.fillRect(0, 0, W, H);
  // texture: brushing / pitting / rust
  for (let i = 0; i < 120; i++) {
    ctx.strokeStyle = `rgba(${rng.chance(0.5) ? '255,255,255' : '0,0,0'},${rng.range(0.02, 0.08).toFixed(3)})`;
    ctx.lineWidth = rng.range(0.5, 2);
    const x0 = rng.range(-W * 0.2, W);
    const y0 = rng.range(0, H);
    ctx.beginPath();
    ctx.moveTo(x0, y0);
    ctx.lineTo(x0 + rng.range(20, W * 0.6), y0 + rng.range(-6, 6));
    ctx.stroke();
  }
  if (rng.chance(0.4)) {
    for (let i = 0; i < 25; i++) {
      ctx.fillStyle = hsl(rng.range(15, 35), rng.range(30, 60), rng.range(20, 40), rng.range(0.08, 0.3));
      ctx.beginPath();
      ctx.arc(rng.range(0, W), rng.range(0, H), rng.range(1, cap * 0.6), 0, Math.PI * 2);
      ctx.fill();
    }
  }
  const x = (W - tw) / 2;
  const baseline = (H + cap) / 2 + rng.range(-0.2, 0.2) * cap;
  const contrast = rng.range(10, 28);
  const dark = hsl(hue, sat, Math.max(5, l - contrast), 0.9);
  const light = hsl(hue, sat, Math.min(95, l + contrast * 0.6), 0.8);
  const off = Math.max(0.6, cap * 0.05);
  let vinRect: Box;
  if (!dotted) {
    ctx.font = font(fs, fam);
    ctx.fillStyle = light;
    ctx.fillText(vin, x + off, baseline + off);
    ctx.fillStyle = dark;
    ctx.fillText(vin, x, baseline);
    vinRect = textBox(ctx, vin, x, baseline);
  } else {
    // dot-peen: sample the glyphs on a grid and punch a dot wherever ink is
    const m = newCanvas(tw + cap, cap * 2);
    m.ctx.font = font(fs, fam);
    (m.ctx as unknown as { letterSpacing: string }).letterSpacing = `${(cap * 0.08).toFixed(2)}px`;
    m.ctx.fillStyle = '#000';
    const mb = cap * 1.5;
    m.ctx.fillText(vin, cap / 2, mb);
    const md = m.ctx.getImageData(0, 0, m.canvas.width, m.canvas.height).data;
    const mw = m.canvas.width;
    const step = cap / rng.range(6.5, 8.5);
    const r = step * rng.range(0.3, 0.45);
    let bx0 = Infinity;
    let by0 = Infinity;
    let bx1 = -Infinity;
    let by1 = -Infinity;
    const ox = x - cap / 2;
    const oy = baseline - mb;
    for (let yy = step / 2; yy < m.canvas.height; yy += step) {
      for (let xx = step / 2; xx < mw; xx += step) {
        const a = md[(Math.floor(yy) * mw + Math.floor(xx)) * 4 + 3];
        if (a < 110) continue;
        const cx = ox + xx + rng.gaussian(0, step * 0.06);
        const cy = oy + yy + rng.gaussian(0, step * 0.06);
        ctx.fillStyle = light;
        ctx.beginPath();
        ctx.arc(cx + r * 0.35, cy + r * 0.35, r, 0, Math.PI * 2);
        ctx.fill();
        ctx.fillStyle = dark;
        ctx.beginPath();
        ctx.arc(cx, cy, r, 0, Math.PI * 2);
        ctx.fill();
        bx0 = Math.min(bx0, cx - r);
        by0 = Math.min(by0, cy - r);
        bx1 = Math.max(bx1, cx + r * 1.35);
        by1 = Math.max(by1, cy + r * 1.35);
      }
    }
    vinRect = { xmin: bx0, ymin: by0, xmax: bx1, ymax: by1 };
  }
  // soft light gradient
  const lg = ctx.createRadialGradient(rng.range(0, W), rng.range(0, H), 0, W / 2, H / 2, W * 0.8);
  lg.addColorStop(0, `rgba(255,255,255,${rng.range(0.05, 0.3).toFixed(3)})`);
  lg.addColorStop(1, `rgba(0,0,0,${rng.range(0, 0.25).toFixed(3)})`);
  ctx.fillStyle = lg;
  ctx.fillRect(0, 0, W, H);
  return { canvas, vinRect, spaced: false, dotted };
}

/** Registration-document-like page: header, fields, a table, VIN in "VIN / Chassis No.". */
function renderDocument(rng: Rng, vin: string, cap: number): RenderedObject {
  const fam = rng.pick(['GenLibSans', 'GenDejaVuSans', 'GenRobotoCond', 'GenB612', 'GenLibNarrow']);
  const valFam = rng.chance(0.5) ? fam : rng.pick(['GenLibMono', 'GenDejaVuMono', 'GenOCRB', 'GenLibSansBold']);
  const scratch = newCanvas(4, 4).ctx;
  const vfs = fontSizeForCap(scratch, valFam, cap);
  scratch.font = font(vfs, valFam);
  const vinW = scratch.measureText(vin).width;
  const W = vinW * rng.range(2.2, 2.8);
  const H = W * rng.range(0.9, 1.35);
  const { canvas, ctx } = newCanvas(W, H);
  const paper = ctx.createLinearGradient(0, 0, W, H);
  const tint = rng.pick([[60, 20, 96], [200, 30, 95], [120, 15, 94], [0, 0, 97]] as const);
  paper.addColorStop(0, hsl(tint[0], tint[1], tint[2]));
  paper.addColorStop(1, hsl(tint[0], tint[1], tint[2] - rng.range(3, 10)));
  ctx.fillStyle = paper;
  ctx.fillRect(0, 0, W, H);
  // faint guilloche-ish background lines
  ctx.strokeStyle = hsl(tint[0], 40, 80, 0.35);
  ctx.lineWidth = 0.8;
  for (let i = 0; i < 30; i++) {
    ctx.beginPath();
    const y0 = rng.range(0, H);
    ctx.moveTo(0, y0);
    ctx.bezierCurveTo(W * 0.3, y0 + rng.range(-60, 60), W * 0.6, y0 + rng.range(-60, 60), W, y0 + rng.range(-40, 40));
    ctx.stroke();
  }
  const ink = '#1a1a1a';
  const pad = cap * 2;
  const small = cap * rng.range(0.6, 0.85);
  const sfs = fontSizeForCap(ctx, fam, small);
  let y = pad;
  // header
  const hcap = cap * rng.range(1.1, 1.6);
  ctx.font = font(fontSizeForCap(ctx, fam, hcap), fam);
  ctx.fillStyle = ink;
  y += hcap;
  ctx.fillText(rng.pick(['CERTIFICATE OF REGISTRATION', 'VEHICLE REGISTRATION DOCUMENT', 'CERTIFICAT D\'IMMATRICULATION', 'ZULASSUNGSBESCHEINIGUNG TEIL I', 'CERTIFICATE OF TITLE']), pad, y);
  y += cap * 0.8;
  ctx.fillRect(pad, y, W - 2 * pad, Math.max(1, cap * 0.08));
  y += cap * 1.2;
  const alnum = (n: number) => Array.from({ length: n }, () => rng.char('ABCDEFGHJKLMNPRSTUVWXYZ0123456789')).join('');
  const digits = (n: number) => Array.from({ length: n }, () => rng.char(DIGITS)).join('');
  const fields: [string, string][] = [
    ['Registration No.', `${alnum(2)}${digits(2)} ${alnum(3)}`],
    ['Document No.', `${digits(3)}-${digits(6)}-${digits(2)}`],
    ['Date of first registration', `${String(rng.int(1, 28)).padStart(2, '0')}.${String(rng.int(1, 12)).padStart(2, '0')}.${rng.int(2005, 2025)}`],
    ['Make', rng.pick(['VOLKSWAGEN', 'TOYOTA', 'FORD', 'HONDA', 'BMW', 'RENAULT', 'HYUNDAI', 'SKODA'])],
    ['Engine No.', `${alnum(3)}${digits(6)}`],
    ['Engine capacity (cm3)', `${rng.int(998, 2998)}`],
    ['Max. mass (kg)', `${rng.int(1200, 2800)}`],
    ['Owner', rng.pick(['J. SMITH', 'M. MUELLER', 'A. DUPONT', 'K. TANAKA', 'L. ROSSI'])],
    ['Type approval', `e${rng.int(1, 13)}*2007/46*${digits(4)}*${digits(2)}`],
  ];
  const vinIdx = rng.int(0, fields.length);
  const vinLabel = rng.pick(['VIN / Chassis No.', 'E  VIN / Chassis No.', 'Chassis / VIN', 'Vehicle identification number (VIN)']);
  ctx.font = font(sfs, fam);
  const labelW = Math.max(...[vinLabel, ...fields.map((f) => f[0])].map((t) => ctx.measureText(t).width)) + cap * rng.range(0.8, 2);
  let vinRect: Box | null = null;
  for (let i = 0; i <= fields.length; i++) {
    if (y > H - pad * 4) {
      if (vinRect) break;
      i = vinIdx; // out of room: the VIN row still goes in
    }
    if (i === vinIdx) {
      y += cap * 0.8 + cap;
      ctx.font = font(sfs, fam);
      ctx.fillStyle = hsl(0, 0, 35);
      ctx.fillText(vinLabel, pad, y);
      ctx.font = font(vfs, valFam);
      ctx.fillStyle = ink;
      ctx.fillText(vin, pad + labelW, y);
      vinRect = textBox(ctx, vin, pad + labelW, y);
      continue;
    }
    const f = fields[i < vinIdx ? i : i - 1];
    if (!f) continue;
    y += small * 1.3 + small;
    ctx.font = font(sfs, fam);
    ctx.fillStyle = hsl(0, 0, 35);
    ctx.fillText(f[0], pad, y);
    ctx.fillStyle = ink;
    ctx.fillText(f[1], pad + labelW, y);
  }
  // table of numbers
  y += cap * 1.5;
  const cols = rng.int(3, 5);
  const rowsN = rng.int(2, 4);
  const cw = (W - 2 * pad) / cols;
  const rh = small * 2.2;
  ctx.strokeStyle = hsl(0, 0, 30);
  ctx.lineWidth = Math.max(1, cap * 0.05);
  for (let r = 0; r <= rowsN && y + rh * r < H - pad; r++) {
    ctx.beginPath();
    ctx.moveTo(pad, y + r * rh);
    ctx.lineTo(W - pad, y + r * rh);
    ctx.stroke();
  }
  const tableBottom = Math.min(y + rowsN * rh, H - pad);
  for (let c = 0; c <= cols; c++) {
    ctx.beginPath();
    ctx.moveTo(pad + c * cw, y);
    ctx.lineTo(pad + c * cw, tableBottom);
    ctx.stroke();
  }
  ctx.font = font(sfs * 0.9, fam);
  ctx.fillStyle = ink;
  const heads = ['Code', 'Axle', 'Tyres', 'Seats', 'kW', 'Colour'];
  for (let r = 0; r < rowsN; r++) {
    if (y + (r + 1) * rh > H - pad) break;
    for (let c = 0; c < cols; c++) {
      const t = r === 0 ? heads[(c + vinIdx) % heads.length] : rng.chance(0.5) ? digits(rng.int(2, 5)) : alnum(rng.int(3, 8));
      ctx.fillText(t, pad + c * cw + small * 0.4, y + r * rh + rh * 0.7);
    }
  }
  // footer text
  let fy = tableBottom + small * 2.5;
  ctx.font = font(sfs * 0.8, fam);
  ctx.fillStyle = hsl(0, 0, 40);
  while (fy < H - pad) {
    ctx.fillText(Array.from({ length: rng.int(4, 9) }, () => rng.pick(['the', 'vehicle', 'holder', 'must', 'notify', 'authority', 'of', 'any', 'change', 'within', 'days', 'registration'])).join(' '), pad, fy);
    fy += small * 1.8;
  }
  // stamp
  if (rng.chance(0.5)) {
    ctx.strokeStyle = hsl(rng.pick([220, 0, 280]), 60, 45, 0.5);
    ctx.lineWidth = cap * 0.12;
    ctx.beginPath();
    ctx.arc(rng.range(W * 0.55, W * 0.85), rng.range(H * 0.6, H * 0.9), cap * 2.5, 0, Math.PI * 2);
    ctx.stroke();
  }
  if (!vinRect) throw new Error('internal: VIN not placed');
  return { canvas, vinRect, spaced: false };
}

// ---------------------------------------------------------------- scene

function pickKind(rng: Rng): VinSceneKind {
  const r = rng.next();
  if (r < 0.28) return 'door-sticker';
  if (r < 0.46) return 'windshield-plate';
  if (r < 0.64) return 'stamped-metal';
  if (r < 0.82) return 'document';
  return 'rotated-sticker';
}

export function generateVinScene(seed: number, opts: VinSceneOptions = {}): VinScene {
  ensureFonts();
  const rng = new Rng(seed);
  const kind = opts.kind ?? pickKind(rng);
  const W = opts.width ?? 1280;
  const H = opts.height ?? 720;
  const format = opts.format ?? 'png';
  const sizeK = Math.min(W / 1280, H / 720);
  const realVin = randomVin(rng);
  const vin = opts.withoutVin ? notAVin(realVin) : realVin;
  const objRng = rng.fork(1);
  const capRange: Record<VinSceneKind, [number, number]> = {
    'door-sticker': [14, 40],
    'rotated-sticker': [14, 26],
    'windshield-plate': [14, 36],
    'stamped-metal': [16, 40],
    document: [14, 30],
  };
  const [c0, c1] = capRange[kind];
  const cap = Math.max(8, rng.range(c0, c1) * sizeK);
  let obj: RenderedObject;
  switch (kind) {
    case 'door-sticker':
    case 'rotated-sticker':
      obj = renderDoorSticker(objRng, vin, cap, kind === 'door-sticker' ? opts.barcode : undefined, opts.luckyDistractor);
      break;
    case 'windshield-plate':
      obj = renderWindshieldPlate(objRng, vin, cap);
      break;
    case 'stamped-metal':
      obj = renderStampedMetal(objRng, vin, cap, opts.marking);
      break;
    case 'document':
      obj = renderDocument(objRng, vin, cap);
      break;
  }

  const { canvas, ctx } = newCanvas(W, H);
  drawClutterBackground(ctx, rng.fork(2), W, H, kind === 'windshield-plate');
  const rotDeg =
    kind === 'rotated-sticker' ? (rng.chance(0.5) ? 90 : -90) + rng.range(-4, 4) : rng.range(-6, 6);
  // objects larger than the frame are scaled down so that the VIN (at least) fits
  const ow = obj.canvas.width;
  const oh = obj.canvas.height;
  // what the answer's box should hug: the printed VIN, or the barcode when only it carries one
  const vr = opts.barcode?.textless && obj.barcodeRect ? obj.barcodeRect : obj.vinRect;
  // a barcode scene keeps the barcode in the frame too
  const keep = obj.barcodeRect ? union(vr, obj.barcodeRect) : vr;
  const vinLong = keep.xmax - keep.xmin;
  const th = (rotDeg * Math.PI) / 180;
  const vinSpanX = Math.abs(vinLong * Math.cos(th)) + Math.abs((keep.ymax - keep.ymin) * Math.sin(th));
  const vinSpanY = Math.abs(vinLong * Math.sin(th)) + Math.abs((keep.ymax - keep.ymin) * Math.cos(th));
  const scale = Math.min(1, (W * 0.85) / vinSpanX, (H * 0.85) / vinSpanY);
  const place = placeObject(rng, ow, oh, W, H, {
    scale,
    rotDeg,
    jitter: kind === 'document' ? 0.03 : 0.05,
    keep,
    margin: 6,
  });
  warpOntoCanvas(ctx, W, H, pixels(obj.canvas), place.h);

  // scene-level lighting: windshield glare / shadows
  if (kind === 'windshield-plate') {
    const gg = ctx.createLinearGradient(rng.range(0, W), 0, rng.range(0, W), H);
    const a = rng.range(0.05, 0.3);
    gg.addColorStop(0, `rgba(200,220,255,0)`);
    gg.addColorStop(rng.range(0.3, 0.6), `rgba(220,235,255,${a.toFixed(3)})`);
    gg.addColorStop(1, `rgba(200,220,255,0)`);
    ctx.fillStyle = gg;
    ctx.fillRect(0, 0, W, H);
  } else if (rng.chance(0.4)) {
    ctx.fillStyle = `rgba(0,0,0,${rng.range(0.1, 0.35).toFixed(3)})`;
    ctx.beginPath();
    const sx = rng.range(0, W);
    ctx.moveTo(sx, 0);
    ctx.lineTo(sx + rng.range(-400, 400), H);
    ctx.lineTo(rng.chance(0.5) ? 0 : W, H);
    ctx.lineTo(rng.chance(0.5) ? 0 : W, 0);
    ctx.closePath();
    ctx.fill();
  }

  const bytes = finishAndEncode(canvas, randomFinish(rng, format));
  const box = roundBox(boxUnder(place.h, vr), W, H);
  const barcodeBox = obj.barcodeRect ? roundBox(boxUnder(place.h, obj.barcodeRect), W, H) : undefined;
  const surface: VinSurface = obj.barcodeRect
    ? 'barcode'
    : kind === 'stamped-metal' ? (obj.dotted ? 'dot-peened' : 'stamped') : kind === 'door-sticker' ? 'sticker' : kind === 'windshield-plate' ? 'windshield' : kind === 'rotated-sticker' ? 'turned-sticker' : 'document';
  return { bytes, width: W, height: H, vin: opts.withoutVin ? '' : vin, box, barcodeBox, kind, surface, seed, format, spaced: obj.spaced, charHeight: cap * scale };
}

const SUITE_CYCLE: readonly VinSceneKind[] = [
  'door-sticker',
  'windshield-plate',
  'stamped-metal',
  'rotated-sticker',
  'document',
  'door-sticker',
];

/** n scenes with seeds firstSeed.., cycling the kinds (1 in 6 ≈ 17 % rotated). */
export function vinSceneSuite(n: number, firstSeed = 1, opts: Omit<VinSceneOptions, 'kind'> = {}): VinScene[] {
  const out: VinScene[] = [];
  for (let i = 0; i < n; i++) {
    out.push(generateVinScene(firstSeed + i, { ...opts, kind: SUITE_CYCLE[i % SUITE_CYCLE.length] }));
  }
  return out;
}
