/** Small planar geometry used by the text and plate stages: hulls, rotated rectangles. */
import type { Point } from '../image/raw-image.ts';

/** Convex hull (Andrew's monotone chain); points in counter-clockwise order. */
export function convexHull(points: Point[]): Point[] {
  const p = [...points].sort((a, b) => a.x - b.x || a.y - b.y);
  if (p.length <= 2) return p;
  const cross = (o: Point, a: Point, b: Point) => (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);
  const lower: Point[] = [];
  for (const pt of p) {
    while (lower.length >= 2 && cross(lower[lower.length - 2], lower[lower.length - 1], pt) <= 0) lower.pop();
    lower.push(pt);
  }
  const upper: Point[] = [];
  for (let i = p.length - 1; i >= 0; i--) {
    const pt = p[i];
    while (upper.length >= 2 && cross(upper[upper.length - 2], upper[upper.length - 1], pt) <= 0) upper.pop();
    upper.push(pt);
  }
  return lower.slice(0, -1).concat(upper.slice(0, -1));
}

/** A rotated rectangle: centre, unit axis `u` along `length`, `thickness` along the normal. */
export interface RotatedRect {
  cx: number;
  cy: number;
  /** Unit vector of the long side. */
  ux: number;
  uy: number;
  length: number;
  thickness: number;
}

/** Minimum-area enclosing rectangle of a point set (rotating calipers over hull edges). */
export function minAreaRect(points: Point[]): RotatedRect {
  const hull = convexHull(points);
  if (hull.length === 1) return { cx: hull[0].x, cy: hull[0].y, ux: 1, uy: 0, length: 0, thickness: 0 };
  let best: RotatedRect | null = null;
  let bestArea = Infinity;
  for (let i = 0; i < hull.length; i++) {
    const a = hull[i];
    const b = hull[(i + 1) % hull.length];
    const len = Math.hypot(b.x - a.x, b.y - a.y);
    if (len === 0) continue;
    const ux = (b.x - a.x) / len;
    const uy = (b.y - a.y) / len;
    let minU = Infinity, maxU = -Infinity, minV = Infinity, maxV = -Infinity;
    for (const p of hull) {
      const u = p.x * ux + p.y * uy;
      const v = -p.x * uy + p.y * ux;
      if (u < minU) minU = u;
      if (u > maxU) maxU = u;
      if (v < minV) minV = v;
      if (v > maxV) maxV = v;
    }
    const area = (maxU - minU) * (maxV - minV);
    if (area < bestArea) {
      bestArea = area;
      const cu = (minU + maxU) / 2;
      const cv = (minV + maxV) / 2;
      best = {
        cx: cu * ux - cv * uy,
        cy: cu * uy + cv * ux,
        ux, uy,
        length: maxU - minU,
        thickness: maxV - minV,
      };
    }
  }
  return normaliseRect(best!);
}

/** Make `u` the long side and point it rightwards (or downwards when vertical). */
export function normaliseRect(r: RotatedRect): RotatedRect {
  let { ux, uy, length, thickness } = r;
  if (thickness > length) {
    [ux, uy] = [-uy, ux];
    [length, thickness] = [thickness, length];
  }
  if (ux < -1e-9 || (Math.abs(ux) <= 1e-9 && uy < 0)) {
    ux = -ux;
    uy = -uy;
  }
  return { ...r, ux, uy, length, thickness };
}

/**
 * Corners [tl, tr, br, bl] in reading order along `u` (left→right for horizontal
 * text; for a vertical rect `u` points down, i.e. text rotated 90° clockwise).
 */
export function rectCorners(r: RotatedRect): Point[] {
  const hx = (r.ux * r.length) / 2, hy = (r.uy * r.length) / 2;
  // normal pointing "down" relative to the reading direction
  const nx = (-r.uy * r.thickness) / 2, ny = (r.ux * r.thickness) / 2;
  return [
    { x: r.cx - hx - nx, y: r.cy - hy - ny },
    { x: r.cx + hx - nx, y: r.cy + hy - ny },
    { x: r.cx + hx + nx, y: r.cy + hy + ny },
    { x: r.cx - hx + nx, y: r.cy - hy + ny },
  ];
}

/** Angle of the long axis from horizontal, degrees in (-90, 90]. */
export function rectAngle(r: RotatedRect): number {
  return (Math.atan2(r.uy, r.ux) * 180) / Math.PI;
}

export function quadBounds(q: readonly Point[]): { xmin: number; ymin: number; xmax: number; ymax: number } {
  let xmin = Infinity, ymin = Infinity, xmax = -Infinity, ymax = -Infinity;
  for (const p of q) {
    if (p.x < xmin) xmin = p.x;
    if (p.y < ymin) ymin = p.y;
    if (p.x > xmax) xmax = p.x;
    if (p.y > ymax) ymax = p.y;
  }
  return { xmin, ymin, xmax, ymax };
}

/** Point at fractional position (u along the top/bottom edges, v down) inside quad [tl,tr,br,bl]. */
export function quadPoint(q: readonly Point[], u: number, v: number): Point {
  const [tl, tr, br, bl] = q;
  const tx = tl.x + (tr.x - tl.x) * u, ty = tl.y + (tr.y - tl.y) * u;
  const bx = bl.x + (br.x - bl.x) * u, by = bl.y + (br.y - bl.y) * u;
  return { x: tx + (bx - tx) * v, y: ty + (by - ty) * v };
}
