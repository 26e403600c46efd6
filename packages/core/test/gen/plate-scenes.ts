/**
 * Deterministic synthetic street scenes with licence plates and ground truth.
 *
 *   const s = generatePlateScene(7, { plates: 1, style: 'eu' });
 *   s.plates[0].text // "BMW1234", s.plates[0].box (plate bounds in image pixels)
 *   generatePlateScene(7, { style: 'gb', closeUp: true });     // one UK plate ≈ 45–60 % of the frame width
 *   generatePlateScene(7, { style: 'square', tiltDeg: 10 });   // a two-row plate turned 10° in the image plane
 *
 * Labels are the registration only (A–Z 0–9), two-row plates top row first. Without the newer
 * options (styles 'gb' / 'square', closeUp, tiltDeg) a seed gives the same scene as before they existed.
 */
import { Rng } from './rng.ts';
import {
  boundsOf,
  ensureFonts,
  finishAndEncode,
  font,
  fontSizeForCap,
  homography,
  hsl,
  newCanvas,
  pixels,
  randomFinish,
  roundBox,
  roundRect,
  warpOntoCanvas,
  type Ctx,
  type Pt,
} from './render.ts';
import type { Canvas } from '@napi-rs/canvas';

/**
 * us: US state plates (2:1, one row); eu: EU one-row plates with the blue band (several countries);
 * br: Brazilian Mercosul; gb: UK one-row plates (yellow rear / white front, LLNN LLL);
 * square: two-row square plates (EU motorcycle / rear-square: letters over digits; UK square
 * rear "AB12" over "CDE"; Brazilian Mercosul motorcycle "ABC" over "1D23").
 */
export type PlateStyle = 'us' | 'eu' | 'br' | 'gb' | 'square';

export interface ScenePlate {
  /** Upper-case alphanumerics, no spaces or dashes. */
  text: string;
  /** Axis-aligned bounds of the whole plate in image pixels (clipped to the image). */
  box: { xmin: number; ymin: number; xmax: number; ymax: number };
  style: PlateStyle;
  /** The text as printed on the plate (with spaces/dashes; rows separated by a newline). */
  printed: string;
  /** Rows of characters on the plate. */
  rows: 1 | 2;
  /** The region a name printed on the plate says (US plates: their state, 'us-ca'). */
  namedRegion?: string;
  /** In-plane rotation of the plate in degrees (clockwise in image coordinates). */
  tiltDeg: number;
}

export interface PlateScene {
  bytes: Uint8Array;
  width: number;
  height: number;
  plates: ScenePlate[];
  seed: number;
  format: 'png' | 'jpeg';
}

export interface PlateSceneOptions {
  plates?: 0 | 1 | 2;
  width?: number;
  height?: number;
  style?: PlateStyle;
  format?: 'png' | 'jpeg';
  /**
   * A close-up: one plate (whatever `plates` says) on the rear panel of a car filling the frame,
   * the plate `closeUp` × the frame width wide (true: 0.45–0.6 at random; the plate is made
   * smaller when it would be taller than 0.7 of the frame).
   */
  closeUp?: boolean | number;
  /** In-plane rotation of every plate in degrees (clockwise in image coordinates) instead of the random ±5°. */
  tiltDeg?: number;
}

const L = 'ABCDEFGHJKLMNPRSTUVWXYZ';
const D = '0123456789';
const rs = (rng: Rng, a: string, n: number) => Array.from({ length: n }, () => rng.char(a)).join('');

// ---------------------------------------------------------------- plate text

const US_STATES: { code: string; name: string; color: string; slogan: string; fmt: (r: Rng) => string }[] = [
  { code: 'us-ca', name: 'CALIFORNIA', color: '#b3202a', slogan: 'DMV.CA.GOV', fmt: (r) => `${r.int(1, 9)}${rs(r, L, 3)}${rs(r, D, 3)}` },
  { code: 'us-tx', name: 'TEXAS', color: '#1d2f6f', slogan: 'THE LONE STAR STATE', fmt: (r) => `${rs(r, L, 3)}-${rs(r, D, 4)}` },
  { code: 'us-ny', name: 'NEW YORK', color: '#1f4aa8', slogan: 'EMPIRE STATE', fmt: (r) => `${rs(r, L, 3)}-${rs(r, D, 4)}` },
  { code: 'us-fl', name: 'FLORIDA', color: '#0d6b3a', slogan: 'SUNSHINE STATE', fmt: (r) => `${rs(r, L, 3)} ${rs(r, D, 1)}${rs(r, L, 2)}` },
  { code: 'us-oh', name: 'OHIO', color: '#a0172a', slogan: 'BIRTHPLACE OF AVIATION', fmt: (r) => `${rs(r, L, 3)} ${rs(r, D, 4)}` },
  { code: 'us-il', name: 'ILLINOIS', color: '#1f3b8c', slogan: 'LAND OF LINCOLN', fmt: (r) => `${rs(r, L, 2)} ${rs(r, D, 5)}` },
  { code: 'us-wa', name: 'WASHINGTON', color: '#1d3c8f', slogan: 'EVERGREEN STATE', fmt: (r) => `${rs(r, L, 3)}${rs(r, D, 4)}` },
  { code: 'us-az', name: 'ARIZONA', color: '#7a1f1f', slogan: 'GRAND CANYON STATE', fmt: (r) => `${rs(r, L, 3)}${rs(r, D, 4)}` },
  { code: 'us-nv', name: 'NEVADA', color: '#1f3e7a', slogan: 'THE SILVER STATE', fmt: (r) => `${rs(r, D, 3)}${rs(r, L, 3)}` },
  { code: 'us-or', name: 'OREGON', color: '#164f33', slogan: 'PACIFIC WONDERLAND', fmt: (r) => `${rs(r, D, 3)} ${rs(r, L, 3)}` },
];

const EU_COUNTRIES: { code: string; fmt: (r: Rng) => string; yellow?: boolean }[] = [
  { code: 'D', fmt: (r) => `${rs(r, L, r.int(1, 3))} ${rs(r, L, r.int(1, 2))} ${r.int(1, 9999)}` },
  { code: 'F', fmt: (r) => `${rs(r, L, 2)}-${rs(r, D, 3)}-${rs(r, L, 2)}` },
  { code: 'NL', fmt: (r) => `${rs(r, D, 2)}-${rs(r, L, 3)}-${rs(r, D, 1)}`, yellow: true },
  { code: 'I', fmt: (r) => `${rs(r, L, 2)} ${rs(r, D, 3)}${rs(r, L, 2)}` },
  { code: 'E', fmt: (r) => `${rs(r, D, 4)} ${rs(r, 'BCDFGHJKLMNPRSTVWXYZ', 3)}` },
  { code: 'PL', fmt: (r) => `${rs(r, L, 2)} ${rs(r, D, 5)}` },
  { code: 'B', fmt: (r) => `${r.int(1, 9)}-${rs(r, L, 3)}-${rs(r, D, 3)}` },
  { code: 'UK', fmt: (r) => `${rs(r, L, 2)}${rs(r, D, 2)} ${rs(r, L, 3)}`, yellow: true },
];

// ---------------------------------------------------------------- plate renderers

interface RenderedPlate {
  canvas: Canvas;
  printed: string;
  /** The region a printed name says (a US state's name: 'us-ca'). */
  namedRegion?: string;
}

function plateBase(ctx: Ctx, rng: Rng, w: number, h: number, fill: string | CanvasGradientLike): void {
  ctx.fillStyle = fill as string;
  roundRect(ctx, 0, 0, w, h, h * 0.07);
  ctx.fill();
  ctx.strokeStyle = hsl(0, 0, rng.range(10, 40));
  ctx.lineWidth = Math.max(1, h * 0.025);
  roundRect(ctx, ctx.lineWidth / 2, ctx.lineWidth / 2, w - ctx.lineWidth, h - ctx.lineWidth, h * 0.06);
  ctx.stroke();
}
type CanvasGradientLike = unknown;

/** Draw `text` centred at (cx, baseline) squeezed to at most maxW wide. */
function fitText(ctx: Ctx, text: string, family: string, cap: number, cx: number, baseline: number, maxW: number): void {
  const fs = fontSizeForCap(ctx, family, cap);
  ctx.font = font(fs, family);
  const w = ctx.measureText(text).width;
  const sx = Math.min(1, maxW / w);
  ctx.save();
  ctx.translate(cx, baseline);
  ctx.scale(sx, 1);
  ctx.fillText(text, -w / 2, 0);
  ctx.restore();
}

function renderUs(rng: Rng, w: number): RenderedPlate {
  const h = w / 2;
  const st = rng.pick(US_STATES);
  const printed = st.fmt(rng);
  const { canvas, ctx } = newCanvas(w, h);
  const g = ctx.createLinearGradient(0, 0, 0, h);
  g.addColorStop(0, hsl(rng.range(190, 220), rng.range(0, 40), rng.range(88, 97)));
  g.addColorStop(rng.range(0.4, 0.7), '#f7f7f4');
  g.addColorStop(1, hsl(rng.range(20, 50), rng.range(0, 50), rng.range(85, 96)));
  plateBase(ctx, rng, w, h, g);
  ctx.fillStyle = '#9a9a9a';
  for (const x of [w * 0.25, w * 0.75]) {
    ctx.beginPath();
    ctx.arc(x, h * 0.1, h * 0.035, 0, Math.PI * 2);
    ctx.fill();
  }
  ctx.fillStyle = st.color;
  fitText(ctx, st.name, rng.pick(['GenLibSansBold', 'GenDejaVuSansBold', 'GenBebas', 'GenRobotoCondBold']), h * 0.13, w / 2, h * 0.25, w * 0.7);
  ctx.fillStyle = rng.pick(['#14215e', '#111', '#6b0f1a', '#14215e']);
  fitText(ctx, printed, rng.pick(['GenRobotoCondBold', 'GenLibNarrowBold', 'GenDIN', 'GenBebas']), h * rng.range(0.42, 0.5), w / 2, h * 0.8, w * 0.88);
  ctx.fillStyle = st.color;
  fitText(ctx, st.slogan, 'GenLibSans', h * 0.07, w / 2, h * 0.93, w * 0.6);
  return { canvas, printed, namedRegion: st.code };
}

/** The EU flag's ring of 12 yellow stars around (cx, cy): radius size × k, star radius r. */
function euStars(ctx: Ctx, cx: number, cy: number, size: number, k: number, r: number): void {
  ctx.fillStyle = '#ffd200';
  for (let i = 0; i < 12; i++) {
    const a = (i / 12) * Math.PI * 2;
    ctx.beginPath();
    ctx.arc(cx + Math.cos(a) * size * k, cy + Math.sin(a) * size * k, r, 0, Math.PI * 2);
    ctx.fill();
  }
}

function renderEu(rng: Rng, w: number): RenderedPlate {
  const h = w / rng.range(4.4, 4.8);
  const c = rng.pick(EU_COUNTRIES);
  const printed = c.fmt(rng);
  const { canvas, ctx } = newCanvas(w, h);
  const yellow = c.yellow && rng.chance(0.5);
  plateBase(ctx, rng, w, h, yellow ? '#f2c40f' : hsl(0, 0, rng.range(92, 98)));
  const sw = h * 0.45;
  ctx.fillStyle = '#0a3a9a';
  roundRect(ctx, h * 0.04, h * 0.04, sw, h * 0.92, h * 0.05);
  ctx.fill();
  euStars(ctx, h * 0.04 + sw / 2, h * 0.3, sw, 0.27, sw * 0.045);
  ctx.fillStyle = '#fff';
  fitText(ctx, c.code, 'GenDIN', h * 0.25, h * 0.04 + sw / 2, h * 0.86, sw * 0.85);
  ctx.fillStyle = '#111';
  fitText(ctx, printed, rng.pick(['GenDIN', 'GenDIN', 'GenRobotoCondBold', 'GenLibNarrowBold']), h * rng.range(0.6, 0.68), sw + (w - sw) / 2, h * 0.82, (w - sw) * 0.9);
  return { canvas, printed };
}

function renderBr(rng: Rng, w: number): RenderedPlate {
  const h = w / 3.08;
  const printed = `${rs(rng, L, 3)}${rs(rng, D, 1)}${rs(rng, L, 1)}${rs(rng, D, 2)}`;
  const { canvas, ctx } = newCanvas(w, h);
  plateBase(ctx, rng, w, h, hsl(0, 0, rng.range(93, 99)));
  const bh = h * 0.22;
  ctx.fillStyle = '#0b3d91';
  ctx.fillRect(h * 0.04, h * 0.04, w - h * 0.08, bh);
  ctx.fillStyle = '#fff';
  fitText(ctx, 'BRASIL', 'GenDIN', bh * 0.55, w / 2, h * 0.04 + bh * 0.78, w * 0.4);
  // flag
  const fx = w - h * 0.04 - bh * 1.5;
  ctx.fillStyle = '#0a9b3c';
  ctx.fillRect(fx, h * 0.04 + bh * 0.2, bh * 1.2, bh * 0.7);
  ctx.fillStyle = '#ffd200';
  ctx.beginPath();
  ctx.moveTo(fx + bh * 0.6, h * 0.04 + bh * 0.25);
  ctx.lineTo(fx + bh * 1.15, h * 0.04 + bh * 0.55);
  ctx.lineTo(fx + bh * 0.6, h * 0.04 + bh * 0.85);
  ctx.lineTo(fx + bh * 0.05, h * 0.04 + bh * 0.55);
  ctx.fill();
  // mercosur emblem
  ctx.strokeStyle = '#fff';
  ctx.lineWidth = Math.max(1, bh * 0.08);
  ctx.beginPath();
  ctx.arc(h * 0.04 + bh * 0.8, h * 0.04 + bh * 0.5, bh * 0.3, 0, Math.PI * 2);
  ctx.stroke();
  ctx.fillStyle = '#111';
  fitText(ctx, printed, rng.pick(['GenDIN', 'GenRobotoCondBold', 'GenLibNarrowBold']), h * rng.range(0.46, 0.52), w / 2, h * 0.87, w * 0.9);
  return { canvas, printed };
}

const UK_BANDS = ['none', 'UK', 'GB'] as const;

/** UK one-row plate: 520×111 mm, yellow at the rear, white at the front, "AB12 CDE". */
function renderGb(rng: Rng, w: number): RenderedPlate {
  const h = w / rng.range(4.5, 4.8);
  const printed = `${rs(rng, L, 2)}${rs(rng, D, 2)} ${rs(rng, L, 3)}`;
  const { canvas, ctx } = newCanvas(w, h);
  const rear = rng.chance(0.5);
  plateBase(ctx, rng, w, h, rear ? hsl(rng.range(46, 52), rng.range(85, 100), rng.range(50, 58)) : hsl(0, 0, rng.range(93, 99)));
  const band = rng.pick(UK_BANDS);
  const sw = band === 'none' ? 0 : h * 0.42;
  if (band !== 'none') {
    ctx.fillStyle = band === 'GB' ? '#0a3a9a' : '#0f2f7a';
    roundRect(ctx, h * 0.05, h * 0.05, sw, h * 0.9, h * 0.04);
    ctx.fill();
    if (band === 'GB') {
      euStars(ctx, h * 0.05 + sw / 2, h * 0.32, sw, 0.27, sw * 0.045);
    } else {
      // a simplified Union flag
      const fx = h * 0.05 + sw * 0.15;
      const fy = h * 0.16;
      const fw = sw * 0.7;
      const fh = sw * 0.45;
      ctx.fillStyle = '#fff';
      ctx.fillRect(fx + fw * 0.4, fy, fw * 0.2, fh);
      ctx.fillRect(fx, fy + fh * 0.35, fw, fh * 0.3);
      ctx.fillStyle = '#c8102e';
      ctx.fillRect(fx + fw * 0.45, fy, fw * 0.1, fh);
      ctx.fillRect(fx, fy + fh * 0.42, fw, fh * 0.16);
    }
    ctx.fillStyle = '#fff';
    fitText(ctx, band, 'GenDIN', h * 0.2, h * 0.05 + sw / 2, h * 0.85, sw * 0.85);
  }
  ctx.fillStyle = '#111';
  const family = rng.pick(['GenDIN', 'GenRobotoCondBold', 'GenLibNarrowBold', 'GenDejaVuSansBold']);
  fitText(ctx, printed, family, h * rng.range(0.6, 0.68), sw + (w - sw) / 2, h * 0.83, (w - sw) * 0.9);
  return { canvas, printed };
}

/**
 * Two-row square plates: an EU motorcycle / rear-square plate (band at the left, letters over
 * digits), a UK square rear plate ("AB12" over "CDE") or a Mercosul motorcycle plate ("ABC" over "1D23").
 */
function renderSquare(rng: Rng, w: number): RenderedPlate {
  const kind = rng.pick(['eu', 'gb', 'br'] as const);
  const h = w / (kind === 'eu' ? rng.range(1.3, 1.7) : kind === 'gb' ? rng.range(1.3, 1.45) : rng.range(1.15, 1.3));
  const { canvas, ctx } = newCanvas(w, h);
  let top: string;
  let bottom: string;
  let left = 0;
  let y0 = 0;
  if (kind === 'eu') {
    const c = rng.pick(['D', 'A', 'PL', 'CZ', 'NL', 'I', 'F', 'SK', 'LT'] as const);
    top = rs(rng, L, rng.int(2, 3));
    bottom = rs(rng, D, rng.int(3, 4));
    plateBase(ctx, rng, w, h, c === 'NL' && rng.chance(0.5) ? '#f2c40f' : hsl(0, 0, rng.range(92, 98)));
    left = w * 0.17;
    ctx.fillStyle = '#0a3a9a';
    roundRect(ctx, h * 0.03, h * 0.03, left - h * 0.03, h * 0.94, h * 0.03);
    ctx.fill();
    euStars(ctx, h * 0.015 + left / 2, h * 0.22, left, 0.28, left * 0.045);
    ctx.fillStyle = '#fff';
    fitText(ctx, c, 'GenDIN', h * 0.12, h * 0.015 + left / 2, h * 0.88, left * 0.8);
  } else if (kind === 'gb') {
    top = `${rs(rng, L, 2)}${rs(rng, D, 2)}`;
    bottom = rs(rng, L, 3);
    plateBase(ctx, rng, w, h, hsl(rng.range(46, 52), rng.range(85, 100), rng.range(50, 58)));
  } else {
    top = rs(rng, L, 3);
    bottom = `${rs(rng, D, 1)}${rs(rng, L, 1)}${rs(rng, D, 2)}`;
    plateBase(ctx, rng, w, h, hsl(0, 0, rng.range(93, 99)));
    y0 = h * 0.2;
    ctx.fillStyle = '#0b3d91';
    ctx.fillRect(h * 0.04, h * 0.04, w - h * 0.08, y0 - h * 0.06);
    ctx.fillStyle = '#fff';
    fitText(ctx, 'BRASIL', 'GenDIN', y0 * 0.45, w / 2, h * 0.04 + (y0 - h * 0.06) * 0.75, w * 0.5);
  }
  ctx.fillStyle = '#111';
  const family = rng.pick(['GenDIN', 'GenRobotoCondBold', 'GenLibNarrowBold']);
  const rowH = (h - y0) / 2;
  const cap = rowH * rng.range(0.66, 0.74);
  const cx = left + (w - left) / 2;
  const maxW = (w - left) * 0.88;
  fitText(ctx, top, family, cap, cx, y0 + rowH * 0.5 + cap / 2, maxW);
  fitText(ctx, bottom, family, cap, cx, y0 + rowH * 1.5 + cap / 2 - rowH * 0.04, maxW);
  return { canvas, printed: `${top}\n${bottom}` };
}

function renderPlate(style: PlateStyle, rng: Rng, w: number): RenderedPlate {
  switch (style) {
    case 'us':
      return renderUs(rng, w);
    case 'eu':
      return renderEu(rng, w);
    case 'br':
      return renderBr(rng, w);
    case 'gb':
      return renderGb(rng, w);
    case 'square':
      return renderSquare(rng, w);
  }
}

// ---------------------------------------------------------------- street + cars

function drawStreet(ctx: Ctx, rng: Rng, W: number, H: number): void {
  const horizon = H * rng.range(0.3, 0.5);
  const sky = ctx.createLinearGradient(0, 0, 0, horizon);
  const dusk = rng.chance(0.25);
  sky.addColorStop(0, dusk ? hsl(rng.range(220, 260), 40, 25) : hsl(rng.range(195, 215), rng.range(30, 70), rng.range(55, 75)));
  sky.addColorStop(1, dusk ? hsl(rng.range(10, 40), 60, 55) : hsl(rng.range(190, 210), rng.range(10, 40), rng.range(78, 92)));
  ctx.fillStyle = sky;
  ctx.fillRect(0, 0, W, horizon);
  // buildings / trees
  let x = -rng.range(0, 80);
  while (x < W) {
    const bw = rng.range(60, 260);
    const bh = rng.range(horizon * 0.2, horizon * 0.95);
    ctx.fillStyle = rng.chance(0.3) ? hsl(rng.range(90, 140), 30, rng.range(15, 35)) : hsl(rng.range(0, 60), rng.range(0, 25), rng.range(25, 70));
    ctx.fillRect(x, horizon - bh, bw, bh);
    ctx.fillStyle = `rgba(20,30,40,${rng.range(0.2, 0.5).toFixed(2)})`;
    for (let wy = horizon - bh + 10; wy < horizon - 15; wy += rng.range(18, 30)) {
      for (let wx = x + 8; wx < x + bw - 14; wx += rng.range(16, 28)) ctx.fillRect(wx, wy, 8, 10);
    }
    x += bw + rng.range(0, 30);
  }
  const road = ctx.createLinearGradient(0, horizon, 0, H);
  const rl = rng.range(20, 45);
  road.addColorStop(0, hsl(220, 5, rl + 10));
  road.addColorStop(1, hsl(220, 5, rl));
  ctx.fillStyle = road;
  ctx.fillRect(0, horizon, W, H - horizon);
  ctx.fillStyle = 'rgba(235,235,220,0.7)';
  for (let i = 0; i < 6; i++) {
    const y = horizon + (H - horizon) * (i / 6);
    const ww = 4 + i * 6;
    ctx.fillRect(W * rng.range(0.45, 0.55) - ww / 2, y, ww, (H - horizon) / 14);
  }
}

interface CarGeom {
  plateCx: number;
  plateCy: number;
}

/** Rear/front of a car as stacked rectangles; returns where the plate goes. */
function drawCar(ctx: Ctx, rng: Rng, cx: number, bottom: number, carW: number): CarGeom {
  const bodyH = carW * rng.range(0.28, 0.36);
  const cabinH = carW * rng.range(0.22, 0.3);
  const hue = rng.range(0, 360);
  const l = rng.pick([10, 20, 45, 60, 75, 88]);
  const body = hsl(hue, l > 80 || l < 15 ? 3 : rng.range(10, 70), l);
  const left = cx - carW / 2;
  const top = bottom - bodyH;
  // wheels
  ctx.fillStyle = '#111';
  for (const wx of [left + carW * 0.05, left + carW * 0.8]) ctx.fillRect(wx, bottom - carW * 0.05, carW * 0.15, carW * 0.1);
  // cabin
  ctx.fillStyle = body;
  ctx.beginPath();
  ctx.moveTo(left + carW * 0.1, top + 2);
  ctx.lineTo(left + carW * 0.2, top - cabinH);
  ctx.lineTo(left + carW * 0.8, top - cabinH);
  ctx.lineTo(left + carW * 0.9, top + 2);
  ctx.fill();
  const glass = ctx.createLinearGradient(0, top - cabinH, 0, top);
  glass.addColorStop(0, hsl(210, 20, rng.range(15, 35)));
  glass.addColorStop(1, hsl(210, 15, rng.range(35, 60)));
  ctx.fillStyle = glass;
  ctx.beginPath();
  ctx.moveTo(left + carW * 0.15, top - cabinH * 0.08);
  ctx.lineTo(left + carW * 0.23, top - cabinH * 0.9);
  ctx.lineTo(left + carW * 0.77, top - cabinH * 0.9);
  ctx.lineTo(left + carW * 0.85, top - cabinH * 0.08);
  ctx.fill();
  // body
  const bg = ctx.createLinearGradient(0, top, 0, bottom);
  bg.addColorStop(0, hsl(hue, 20, Math.min(95, l + 12)));
  bg.addColorStop(1, body);
  ctx.fillStyle = bg;
  roundRect(ctx, left, top, carW, bodyH, carW * 0.05);
  ctx.fill();
  // lights
  const lightW = carW * rng.range(0.14, 0.22);
  const lightH = bodyH * rng.range(0.18, 0.3);
  const lightCol = rng.chance(0.5) ? hsl(0, 80, 40) : hsl(45, 20, 85);
  ctx.fillStyle = lightCol;
  ctx.fillRect(left + carW * 0.03, top + bodyH * 0.15, lightW, lightH);
  ctx.fillRect(left + carW * 0.97 - lightW, top + bodyH * 0.15, lightW, lightH);
  // bumper
  ctx.fillStyle = hsl(0, 0, rng.range(8, 30));
  ctx.fillRect(left + carW * 0.02, top + bodyH * 0.72, carW * 0.96, bodyH * 0.16);
  // badge
  ctx.fillStyle = hsl(0, 0, 80);
  ctx.beginPath();
  ctx.arc(cx, top + bodyH * 0.22, carW * 0.02, 0, Math.PI * 2);
  ctx.fill();
  return { plateCx: cx + rng.range(-0.02, 0.02) * carW, plateCy: top + bodyH * 0.52 };
}

/**
 * A close-up of a car's rear panel filling the frame: body paint, a plate recess, tail lights at
 * the sides, a bumper below. Returns where the plate's centre goes.
 */
function drawCloseUp(ctx: Ctx, rng: Rng, W: number, H: number, pw: number, ph: number): CarGeom {
  const hue = rng.range(0, 360);
  const l = rng.pick([12, 22, 45, 60, 75, 88]);
  const sat = l > 80 || l < 15 ? 3 : rng.range(10, 60);
  const g = ctx.createLinearGradient(0, 0, rng.range(-0.2, 0.2) * W, H);
  g.addColorStop(0, hsl(hue, sat, Math.min(95, l + rng.range(5, 15))));
  g.addColorStop(1, hsl(hue, sat, Math.max(4, l - rng.range(0, 10))));
  ctx.fillStyle = g;
  ctx.fillRect(0, 0, W, H);
  const cx = W / 2 + rng.range(-0.08, 0.08) * W;
  const cy = H / 2 + rng.range(-0.08, 0.08) * H;
  // rear window edge at the top, a crease line and a badge above the plate
  ctx.fillStyle = hsl(210, 15, rng.range(12, 30));
  ctx.fillRect(0, 0, W, Math.max(0, cy - ph / 2 - H * rng.range(0.12, 0.2)));
  ctx.fillStyle = hsl(hue, sat, Math.max(4, l - 18), 0.6);
  ctx.fillRect(0, cy - ph / 2 - H * 0.06, W, Math.max(2, H * 0.008));
  ctx.fillStyle = hsl(0, 0, 80);
  ctx.beginPath();
  ctx.arc(cx, cy - ph / 2 - H * 0.035, Math.max(3, H * 0.015), 0, Math.PI * 2);
  ctx.fill();
  // tail lights at both sides
  ctx.fillStyle = rng.chance(0.6) ? hsl(0, 80, rng.range(30, 45)) : hsl(20, 70, 45);
  const lw = Math.max(0, (W - pw) / 2 - W * 0.06);
  if (lw > 4) {
    ctx.fillRect(0, cy - ph * 0.6, lw, ph * 0.5);
    ctx.fillRect(W - lw, cy - ph * 0.6, lw, ph * 0.5);
  }
  // plate recess
  ctx.fillStyle = hsl(hue, sat, Math.max(3, l - 25));
  roundRect(ctx, cx - pw * 0.56, cy - ph * 0.62, pw * 1.12, ph * 1.24, ph * 0.1);
  ctx.fill();
  // bumper below
  ctx.fillStyle = hsl(0, 0, rng.range(8, 30));
  const by = cy + ph * 0.62 + H * rng.range(0.03, 0.08);
  if (by < H) ctx.fillRect(0, by, W, H - by);
  return { plateCx: cx, plateCy: cy };
}

// ---------------------------------------------------------------- scene

export function generatePlateScene(seed: number, opts: PlateSceneOptions = {}): PlateScene {
  ensureFonts();
  const rng = new Rng(seed);
  const W = opts.width ?? 1280;
  const H = opts.height ?? 720;
  const format = opts.format ?? 'png';
  const sizeK = Math.min(W / 1280, H / 720);
  const closeUp = opts.closeUp === true ? rng.range(0.45, 0.6) : typeof opts.closeUp === 'number' ? opts.closeUp : 0;
  if (closeUp && !(closeUp > 0 && closeUp < 1)) throw new Error(`closeUp must be a fraction of the frame width in (0, 1), got ${closeUp}`);
  const n: 0 | 1 | 2 = closeUp ? 1 : (opts.plates ?? (rng.chance(0.1) ? 0 : rng.chance(0.25) ? 2 : 1));
  const { canvas, ctx } = newCanvas(W, H);
  if (!closeUp) drawStreet(ctx, rng.fork(1), W, H);

  const cars = Math.max(1, n);
  const plates: ScenePlate[] = [];
  const jobs: { obj: RenderedPlate; h: number[]; quad: Pt[]; style: PlateStyle; tiltDeg: number }[] = [];
  for (let i = 0; i < cars; i++) {
    const style: PlateStyle = opts.style ?? rng.pick(['us', 'eu', 'br'] as const);
    let obj: RenderedPlate;
    let geom: CarGeom;
    let k = 1; // plate canvas → image scale
    if (closeUp) {
      obj = renderPlate(style, rng.fork(20), closeUp * W);
      k = Math.min(1, (0.7 * H) / obj.canvas.height);
      geom = drawCloseUp(ctx, rng.fork(10), W, H, obj.canvas.width * k, obj.canvas.height * k);
    } else {
      const pw = (cars === 2 ? rng.range(120, 190) : rng.range(120, 300)) * sizeK;
      // plate ≈ 1/5–1/7 of the car width for US/BR, wider EU/UK plates ≈ 1/3.5, square plates ≈ 1/7
      const perCar = style === 'eu' || style === 'gb' ? rng.range(3.2, 4) : rng.range(4.5, 6) * (style === 'square' ? 1.25 : 1);
      const carW = Math.min((cars === 2 ? 0.48 : 1.1) * W, pw * perCar);
      const cx = cars === 2 ? W * (i === 0 ? rng.range(0.22, 0.3) : rng.range(0.7, 0.78)) : W * rng.range(0.35, 0.65);
      const bottom = H * rng.range(0.82, 0.98);
      geom = drawCar(ctx, rng.fork(10 + i), cx, bottom, carW);
      if (n === 0) {
        ctx.fillStyle = 'rgba(0,0,0,0.25)';
        ctx.fillRect(geom.plateCx - pw / 2, geom.plateCy - pw / 5, pw, (pw * 2) / 5);
        continue;
      }
      obj = renderPlate(style, rng.fork(20 + i), pw);
    }
    const ow = obj.canvas.width;
    const oh = obj.canvas.height;
    const randomTilt = rng.range(-5, 5); // drawn even when tiltDeg is given, so the rest of the scene stays the seed's
    const tiltDeg = opts.tiltDeg ?? randomTilt;
    const th = (tiltDeg * Math.PI) / 180;
    const jit = 0.05 * oh * k;
    const yaw = rng.range(-0.12, 0.12); // horizontal foreshortening of one side
    const corners: Pt[] = [
      [0, 0],
      [ow, 0],
      [ow, oh],
      [0, oh],
    ];
    const quad: Pt[] = corners.map(([x, y]) => {
      const dx = (x - ow / 2) * k;
      const side = x > 0 ? 1 + yaw : 1 - yaw;
      const dy = (y - oh / 2) * side * k;
      return [
        geom.plateCx + dx * Math.cos(th) - dy * Math.sin(th) + rng.gaussian(0, jit),
        geom.plateCy + dx * Math.sin(th) + dy * Math.cos(th) + rng.gaussian(0, jit),
      ] as Pt;
    });
    jobs.push({ obj, h: homography(corners, quad), quad, style, tiltDeg });
  }
  for (const j of jobs) warpOntoCanvas(ctx, W, H, pixels(j.obj.canvas), j.h);
  for (const j of jobs) {
    plates.push({
      text: j.obj.printed.replace(/[^A-Z0-9]/g, ''),
      printed: j.obj.printed,
      box: roundBox(boundsOf(j.quad), W, H),
      style: j.style,
      rows: j.obj.printed.includes('\n') ? 2 : 1,
      ...(j.obj.namedRegion ? { namedRegion: j.obj.namedRegion } : {}),
      tiltDeg: Math.round(j.tiltDeg * 100) / 100,
    });
  }
  const bytes = finishAndEncode(canvas, randomFinish(rng, format));
  return { bytes, width: W, height: H, plates, seed, format };
}

/** n plate scenes with seeds firstSeed.. (styles cycle us/eu/br, one in eight without a plate). */
export function plateSceneSuite(n: number, firstSeed = 1, opts: Omit<PlateSceneOptions, 'style' | 'plates'> = {}): PlateScene[] {
  const styles: PlateStyle[] = ['us', 'eu', 'br'];
  const out: PlateScene[] = [];
  for (let i = 0; i < n; i++) {
    const plates: 0 | 1 | 2 = i % 8 === 7 ? 0 : i % 5 === 4 ? 2 : 1;
    out.push(generatePlateScene(firstSeed + i, { ...opts, plates, style: styles[i % 3] }));
  }
  return out;
}
