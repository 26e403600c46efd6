/**
 * Reader inputs cut from a detected plate box, exactly as the reader was trained
 * (models/training/plate_ocr/data.py `pipeline_crop` + `to_line`): the box plus a margin,
 * stretched to the reader's size; a two-row plate is laid out as one line — its top half
 * beside its bottom half (each half a little past the middle, so glyphs are not cut).
 */
import { createImage, warpQuad, type Point, type RawImage } from '../image/raw-image.ts';
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

const quad = (x0: number, y0: number, x1: number, y1: number): Point[] => [
  { x: x0, y: y0 },
  { x: x1, y: y0 },
  { x: x1, y: y1 },
  { x: x0, y: y1 },
];

/** One-row plate: the margin box stretched to the reader's input. */
export function oneRowCrop(img: RawImage, b: Box, l: LineLayout): RawImage {
  const m = marginBox(b, l.margin);
  return warpQuad(img, quad(m.x0, m.y0, m.x1, m.y1), l.width, l.height);
}

/** Two-row plate: top half | bottom half, each stretched to half the reader's width. */
export function twoRowCrop(img: RawImage, b: Box, l: LineLayout): RawImage {
  const m = marginBox(b, l.margin);
  const h = m.y1 - m.y0;
  const half = Math.floor(l.width / 2);
  const top = warpQuad(img, quad(m.x0, m.y0, m.x1, m.y0 + h * (0.5 + l.rowOverlap)), half, l.height);
  const bottom = warpQuad(img, quad(m.x0, m.y0 + h * (0.5 - l.rowOverlap), m.x1, m.y1), l.width - half, l.height);
  return hconcat(top, bottom);
}

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
