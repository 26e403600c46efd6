/**
 * Where a linear barcode lies in a picture, as the parallelogram its bars fill: ZXing scans
 * rows (and, with tryRotate, columns), so a Code 39 label photographed at an angle — turned a
 * few degrees, or sheared by perspective so that its bars stay upright while the code runs
 * uphill — is missed although every bar is sharp. Bars are found as cells whose gradients are
 * strong and all point one way (a structure tensor per cell); the cells that agree in direction
 * and touch form one code; its length runs along their spread, its bars along the gradient's
 * normal. The caller warps each parallelogram upright and reads it again.
 */
import { luma, resize, type Point, type RawImage } from '../image/raw-image.ts';

/** The analysis runs on the picture scaled to this longer side (at 640, the narrow bars of a 1280-px photo's label blur away). */
const SIDE = 1024;
/** Cell size of the structure tensor, analysis pixels. */
const CELL = 8;
/** A bar cell's gradients agree this much (coherence, 0–1); text and texture stay below. */
const MIN_COHERENCE = 0.75;
/** … and are this strong (mean squared gradient, grey levels²). */
const MIN_ENERGY = 900;
/** A code grows from such cells into weaker ones (its finest, most blurred bars): hysteresis. */
const GROW_COHERENCE = 0.6;
const GROW_ENERGY = 200;
/** Neighbouring bar cells belong to one code when their directions differ by less than this. */
const MAX_TURN = (12 * Math.PI) / 180;
/** A code spans at least this many cells, and is this many times longer than tall. */
const MIN_CELLS = 8;
const MIN_ELONGATION = 3;
/** Quiet zone and bar ends added around the cells, × the code's length / height. */
const PAD_LENGTH = 0.06;
const PAD_HEIGHT = 0.25;

/** Up to `max` barcode parallelograms [tl, tr, br, bl] in picture pixels, the longest first (tl→tr along the code). */
export function locateLinearBarcodes(img: RawImage, max = 2): Point[][] {
  const s = Math.min(1, SIDE / Math.max(img.width, img.height));
  const w = Math.max(1, Math.floor(img.width * s)), h = Math.max(1, Math.floor(img.height * s));
  const grey = luma(s < 1 ? resize(img, w, h) : img);
  const cw = Math.floor(w / CELL), ch = Math.floor(h / CELL);
  if (cw < 3 || ch < 3) return [];
  // per cell: the doubled gradient angle and whether it is a bar cell (2: strong, 1: weak)
  const angle = new Float32Array(cw * ch);
  const bar = new Uint8Array(cw * ch);
  for (let cy = 0; cy < ch; cy++) {
    for (let cx = 0; cx < cw; cx++) {
      let jxx = 0, jyy = 0, jxy = 0;
      for (let y = Math.max(1, cy * CELL); y < Math.min(h - 1, (cy + 1) * CELL); y++) {
        for (let x = Math.max(1, cx * CELL); x < Math.min(w - 1, (cx + 1) * CELL); x++) {
          const i = y * w + x;
          const gx = grey[i + 1] - grey[i - 1], gy = grey[i + w] - grey[i - w];
          jxx += gx * gx;
          jyy += gy * gy;
          jxy += gx * gy;
        }
      }
      const t = jxx + jyy;
      const d = Math.hypot(jxx - jyy, 2 * jxy);
      const k = cy * cw + cx;
      angle[k] = Math.atan2(2 * jxy, jxx - jyy);
      const c = t > 0 ? d / t : 0, e = t / (CELL * CELL);
      bar[k] = c >= MIN_COHERENCE && e >= MIN_ENERGY ? 2 : c >= GROW_COHERENCE && e >= GROW_ENERGY ? 1 : 0;
    }
  }
  const found: { quad: Point[]; length: number }[] = [];
  const seen = new Uint8Array(cw * ch);
  for (let k0 = 0; k0 < bar.length; k0++) {
    if (bar[k0] !== 2 || seen[k0]) continue;
    const cells = group(k0, bar, angle, seen, cw, ch);
    if (cells.length < MIN_CELLS) continue;
    const q = parallelogram(cells, angle, cw);
    if (q && q.length >= MIN_ELONGATION * q.height) found.push({ quad: q.quad.map((p) => ({ x: p.x / s, y: p.y / s })), length: q.length });
  }
  return found.sort((a, b) => b.length - a.length).slice(0, max).map((f) => f.quad);
}

/** The bar cells connected to k0 whose directions agree with their neighbour's (flood fill). */
function group(k0: number, bar: Uint8Array, angle: Float32Array, seen: Uint8Array, cw: number, ch: number): number[] {
  const out: number[] = [];
  const stack = [k0];
  seen[k0] = 1;
  while (stack.length) {
    const k = stack.pop()!;
    out.push(k);
    const x = k % cw, y = (k - x) / cw;
    for (let dy = -1; dy <= 1; dy++) {
      for (let dx = -1; dx <= 1; dx++) {
        const nx = x + dx, ny = y + dy;
        if (nx < 0 || ny < 0 || nx >= cw || ny >= ch) continue;
        const n = ny * cw + nx;
        if (!bar[n] || seen[n]) continue;
        // doubled angles: a difference of 2·MAX_TURN or less, modulo a full turn
        const d = Math.abs(((angle[n] - angle[k] + 3 * Math.PI) % (2 * Math.PI)) - Math.PI);
        if (d > 2 * MAX_TURN) continue;
        seen[n] = 1;
        stack.push(n);
      }
    }
  }
  return out;
}

/**
 * The parallelogram of a code's cells: u along the cells' spread (the code's length), v along
 * its bars (normal to the mean gradient); each cell centre is c + a·u + b·v, and the extents of
 * a and b (padded) give the corners.
 */
function parallelogram(cells: number[], angle: Float32Array, cw: number): { quad: Point[]; length: number; height: number } | null {
  let mx = 0, my = 0, sc = 0, ss = 0;
  const pts = cells.map((k) => {
    const x = ((k % cw) + 0.5) * CELL, y = (Math.floor(k / cw) + 0.5) * CELL;
    mx += x;
    my += y;
    sc += Math.cos(angle[k]);
    ss += Math.sin(angle[k]);
    return { x, y };
  });
  mx /= pts.length;
  my /= pts.length;
  let sxx = 0, syy = 0, sxy = 0;
  for (const p of pts) {
    sxx += (p.x - mx) ** 2;
    syy += (p.y - my) ** 2;
    sxy += (p.x - mx) * (p.y - my);
  }
  const major = 0.5 * Math.atan2(2 * sxy, sxx - syy);
  let u = { x: Math.cos(major), y: Math.sin(major) };
  if (u.x < 0) u = { x: -u.x, y: -u.y }; // left to right
  const g = 0.5 * Math.atan2(ss, sc); // mean gradient direction: across the bars
  let v = { x: -Math.sin(g), y: Math.cos(g) };
  if (u.x * v.y - u.y * v.x < 0) v = { x: -v.x, y: -v.y }; // v points "down" from u
  const det = u.x * v.y - u.y * v.x;
  if (Math.abs(det) < 0.5) return null; // bars nearly along the spread: not a linear code
  let a0 = Infinity, a1 = -Infinity, b0 = Infinity, b1 = -Infinity;
  for (const p of pts) {
    const dx = p.x - mx, dy = p.y - my;
    const a = (dx * v.y - dy * v.x) / det, b = (u.x * dy - u.y * dx) / det;
    a0 = Math.min(a0, a);
    a1 = Math.max(a1, a);
    b0 = Math.min(b0, b);
    b1 = Math.max(b1, b);
  }
  const length = a1 - a0 + CELL, height = b1 - b0 + CELL;
  a0 -= CELL / 2 + PAD_LENGTH * length;
  a1 += CELL / 2 + PAD_LENGTH * length;
  b0 -= CELL / 2 + PAD_HEIGHT * height;
  b1 += CELL / 2 + PAD_HEIGHT * height;
  const at = (a: number, b: number): Point => ({ x: mx + a * u.x + b * v.x, y: my + a * u.y + b * v.y });
  return { quad: [at(a0, b0), at(a1, b0), at(a1, b1), at(a0, b1)], length, height };
}

/**
 * Unsharp mask along the rows only (an upright code's length): v + amount·(v − mean of the
 * 2·radius+1 pixels around it). Restores the narrow bars a blurred photo merges; the bars'
 * height direction is left alone.
 */
export function sharpenRows(img: RawImage, amount = 2, radius = 2): RawImage {
  const { width: w, height: h, data } = img;
  const out = new Uint8ClampedArray(data.length);
  const n = 2 * radius + 1;
  for (let y = 0; y < h; y++) {
    const row = y * w * 4;
    for (let c = 0; c < 3; c++) {
      let sum = 0;
      const at = (x: number) => data[row + Math.max(0, Math.min(w - 1, x)) * 4 + c];
      for (let d = -radius; d <= radius; d++) sum += at(d);
      for (let x = 0; x < w; x++) {
        const v = data[row + x * 4 + c];
        out[row + x * 4 + c] = v + amount * (v - sum / n);
        sum += at(x + radius + 1) - at(x - radius);
      }
    }
    for (let x = 0; x < w; x++) out[row + x * 4 + 3] = 255;
  }
  return { ...img, data: out };
}
