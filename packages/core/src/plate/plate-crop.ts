/**
 * Reader inputs cut from a detected plate box, exactly as the reader was trained
 * (models/training/plate_ocr/data.py `pipeline_crop` + `to_line`): the box plus a margin,
 * stretched to the reader's size; a two-row plate is laid out as one line — its top half
 * beside its bottom half (each half a little past the middle, so glyphs are not cut).
 */
import { coveringRect, type Rect } from '../image/pixel-source.ts';
import { createImage, luma, warpQuad, type Point, type RawImage } from '../image/raw-image.ts';
import type { Box } from '../schemas.ts';

export interface LineLayout {
  width: number;
  height: number;
  /** Margin added around the box before reading, fractions of its width and height. */
  margin: readonly [number, number];
  /** How far past the middle each half of a two-row plate reaches (fraction of its height). */
  rowOverlap: number;
}

function marginBox(b: Box, [mx, my]: readonly [number, number]) {
  const w = b.xmax - b.xmin, h = b.ymax - b.ymin;
  return { x0: b.xmin - mx * w, x1: b.xmax + mx * w, y0: b.ymin - my * h, y1: b.ymax + my * h };
}

/**
 * The corners (tl, tr, br, bl) of the band y0..y1 of the margin box, turned by `angle`
 * (radians, image coordinates: positive = clockwise) about the box centre.
 */
function band(b: Box, l: LineLayout, f0: number, f1: number, angle: number): Point[] {
  const m = marginBox(b, l.margin);
  const cx = (m.x0 + m.x1) / 2, cy = (m.y0 + m.y1) / 2;
  const y0 = m.y0 + (m.y1 - m.y0) * f0, y1 = m.y0 + (m.y1 - m.y0) * f1;
  const c = Math.cos(angle), s = Math.sin(angle);
  const turn = (x: number, y: number): Point => ({ x: cx + (x - cx) * c - (y - cy) * s, y: cy + (x - cx) * s + (y - cy) * c });
  return [turn(m.x0, y0), turn(m.x1, y0), turn(m.x1, y1), turn(m.x0, y1)];
}

/** One-row plate: the margin box (turned by `angle` to undo a tilt) stretched to the reader's input. */
export function oneRowCrop(img: RawImage, b: Box, l: LineLayout, angle = 0): RawImage {
  return warpQuad(img, band(b, l, 0, 1, angle), l.width, l.height);
}

/** Two-row plate: top half | bottom half, each stretched to half the reader's width. */
export function twoRowCrop(img: RawImage, b: Box, l: LineLayout, angle = 0): RawImage {
  const half = Math.floor(l.width / 2);
  const top = warpQuad(img, band(b, l, 0, 0.5 + l.rowOverlap, angle), half, l.height);
  const bottom = warpQuad(img, band(b, l, 0.5 - l.rowOverlap, 1, angle), l.width - half, l.height);
  return hconcat(top, bottom);
}

/** Tilts tried by `estimateTilt` (radians): ±12° in 1.5° steps. */
const TILTS = Array.from({ length: 17 }, (_, i) => ((i - 8) * 1.5 * Math.PI) / 180);

/**
 * In-plane tilt of the text in a plate crop (radians, positive = clockwise), by projection
 * profiles: the vertical-stroke energy of the characters, summed along lines sheared by each
 * candidate angle, is most concentrated (highest variance over rows) when the lines follow the
 * text. Cheap (a few hundred thousand additions at reader resolution), no model.
 */
export function estimateTilt(crop: RawImage): number {
  const { width: w, height: h } = crop;
  const gray = luma(crop);
  const energy = new Float32Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 1; x < w - 1; x++) energy[y * w + x] = Math.abs(gray[y * w + x + 1] - gray[y * w + x - 1]);
  const rows = new Float64Array(h * 2);
  const score = TILTS.map((a) => {
    rows.fill(0);
    const t = Math.tan(a);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const yy = Math.round(y - (x - w / 2) * t) + (h >> 1);
        if (yy >= 0 && yy < rows.length) rows[yy] += energy[y * w + x];
      }
    }
    let sum = 0, sq = 0;
    for (const v of rows) { sum += v; sq += v * v; }
    return sq / rows.length - (sum / rows.length) ** 2;
  });
  const zero = score[TILTS.indexOf(0)];
  const k = score.indexOf(Math.max(...score));
  // keep the crop as it is unless a tilt is clearly better (noise, frames, bolts)
  return score[k] > zero * MIN_TILT_GAIN ? TILTS[k] : 0;
}

/** A tilt must concentrate the stroke energy this much more than none to be undone. */
const MIN_TILT_GAIN = 1.05;

/**
 * The box's text tilt in image coordinates (radians): `estimateTilt` on its one-row crop
 * (`oneRowCrop(img, b, l)`, passed in so the caller can read it when the tilt is 0),
 * converted back from the crop's stretched pixels (box w×h → reader width×height).
 */
export function boxTilt(crop: RawImage, b: Box, l: LineLayout): number {
  const t = Math.tan(estimateTilt(crop));
  const m = marginBox(b, l.margin);
  return Math.atan((t * (m.y1 - m.y0) * l.width) / (l.height * (m.x1 - m.x0)));
}

/**
 * The picture rectangle every crop of box `b` can sample (one- and two-row layouts, at any tilt
 * boxTilt can return): the margin box turned by up to that tilt, plus the bilinear taps. Reading
 * only this region gives the same crops as reading the whole picture.
 */
export function cropFootprint(b: Box, l: LineLayout, width: number, height: number): Rect {
  const m = marginBox(b, l.margin);
  const hx = (m.x1 - m.x0) / 2, hy = (m.y1 - m.y0) / 2;
  const a = Math.atan((Math.tan(TILTS[TILTS.length - 1]) * hy * l.width) / (l.height * Math.max(hx, 1e-6)));
  const ex = hx * Math.cos(a) + hy * Math.sin(a), ey = hx * Math.sin(a) + hy * Math.cos(a);
  const cx = (m.x0 + m.x1) / 2, cy = (m.y0 + m.y1) / 2;
  return coveringRect(cx - ex, cy - ey, cx + ex, cy + ey, width, height);
}

/** A box in a patch's own pixels. */
export const boxIn = (b: Box, x: number, y: number): Box => ({ xmin: b.xmin - x, ymin: b.ymin - y, xmax: b.xmax - x, ymax: b.ymax - y });

/** Two images of the same height side by side. */
export function hconcat(a: RawImage, b: RawImage): RawImage {
  if (a.height !== b.height) throw new RangeError(`hconcat: heights differ (${a.height} vs ${b.height})`);
  const out = createImage(a.width + b.width, a.height);
  for (let y = 0; y < a.height; y++) {
    out.data.set(a.data.subarray(y * a.width * 4, (y + 1) * a.width * 4), y * out.width * 4);
    out.data.set(b.data.subarray(y * b.width * 4, (y + 1) * b.width * 4), (y * out.width + a.width) * 4);
  }
  return out;
}
