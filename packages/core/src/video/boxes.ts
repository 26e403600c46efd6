/** Box geometry for tracking: overlap, centre distance, constant-velocity prediction. */
import type { Box } from '../schemas.ts';

export function iou(a: Box, b: Box): number {
  const w = Math.min(a.xmax, b.xmax) - Math.max(a.xmin, b.xmin);
  const h = Math.min(a.ymax, b.ymax) - Math.max(a.ymin, b.ymin);
  if (w <= 0 || h <= 0) return 0;
  const inter = w * h;
  return inter / (area(a) + area(b) - inter);
}

export const area = (b: Box) => Math.max(0, b.xmax - b.xmin) * Math.max(0, b.ymax - b.ymin);

export const centre = (b: Box) => ({ x: (b.xmin + b.xmax) / 2, y: (b.ymin + b.ymax) / 2 });

/** Centre distance in units of the larger box's longer side (0 = same centre, 1 = one plate width away). */
export function centreDistance(a: Box, b: Box): number {
  const ca = centre(a);
  const cb = centre(b);
  const unit = Math.max(1, a.xmax - a.xmin, a.ymax - a.ymin, b.xmax - b.xmin, b.ymax - b.ymin);
  return Math.hypot(ca.x - cb.x, ca.y - cb.y) / unit;
}

export interface Velocity {
  /** Centre motion in pixels per millisecond. */
  vx: number;
  vy: number;
}

/** The part of a frame that was read (the region of interest), in frame pixels. */
export interface Area {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * A box at the border of the area read: the plate may be cut (a car entering the view), so
 * its reading may lack characters. Margin: 1 % of the area's width or a quarter of the box's
 * height, at least 2 px.
 */
export function touchesEdge(b: Box, a: Area): boolean {
  // a box this near an edge may have lost a glyph to it: the detector frames what is visible, so a
  // cut plate's box ends a few pixels inside the edge (a quarter of its height ≈ half a glyph)
  const m = Math.max(2, a.width * 0.01, (b.ymax - b.ymin) * 0.25);
  return b.xmin <= a.x + m || b.ymin <= a.y + m || b.xmax >= a.x + a.width - m || b.ymax >= a.y + a.height - m;
}

export function shift(b: Box, dx: number, dy: number): Box {
  return { xmin: b.xmin + dx, ymin: b.ymin + dy, xmax: b.xmax + dx, ymax: b.ymax + dy };
}

/** Where a box seen at `fromMs` moving at `v` should be at `toMs`. */
export function predict(b: Box, v: Velocity, fromMs: number, toMs: number): Box {
  const dt = toMs - fromMs;
  return shift(b, v.vx * dt, v.vy * dt);
}

/** Velocity after a new sighting: an average weighted towards the newest motion (smooths jitter). */
export function nextVelocity(prev: Velocity | null, from: Box, to: Box, dtMs: number, smoothing = 0.5): Velocity {
  if (dtMs <= 0) return prev ?? { vx: 0, vy: 0 };
  const a = centre(from);
  const b = centre(to);
  const v = { vx: (b.x - a.x) / dtMs, vy: (b.y - a.y) / dtMs };
  if (!prev) return v;
  return { vx: smoothing * v.vx + (1 - smoothing) * prev.vx, vy: smoothing * v.vy + (1 - smoothing) * prev.vy };
}
