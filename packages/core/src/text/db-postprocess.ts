/**
 * DB (Differentiable Binarization) post-processing for PP-OCR's text detector:
 * probability map → text-line rectangles. Mirrors PaddleOCR's DBPostProcess
 * (threshold, per-component score, min-area rect, unclip) without OpenCV:
 * connected components replace findContours, and a rotated-rect expansion by
 * d = area·ratio/perimeter replaces the polygon offset (exact for rectangles).
 */
import { minAreaRect, type RotatedRect } from './geometry.ts';
import type { Point } from '../image/raw-image.ts';

export interface DbOptions {
  /** Pixel threshold on the probability map. */
  binThreshold: number;
  /** Minimum mean probability over a component. */
  boxThreshold: number;
  unclipRatio: number;
  /** Components whose short side (map pixels) is below this are dropped. */
  minSize: number;
  maxCandidates: number;
}

export const DEFAULT_DB: DbOptions = {
  binThreshold: 0.3,
  boxThreshold: 0.6,
  unclipRatio: 1.6,
  minSize: 3,
  maxCandidates: 300,
};

export interface TextRegion {
  rect: RotatedRect;
  score: number;
}

/** `prob` is H×W row-major. Rects are in probability-map pixels. */
export function dbPostprocess(prob: Float32Array, width: number, height: number, opts: DbOptions = DEFAULT_DB): TextRegion[] {
  const labels = new Int32Array(width * height);
  const out: TextRegion[] = [];
  const stack: number[] = [];
  let next = 0;
  for (let start = 0; start < prob.length; start++) {
    if (labels[start] !== 0 || prob[start] <= opts.binThreshold) continue;
    next++;
    // flood fill (8-connected), collecting boundary points and the score sum
    labels[start] = next;
    stack.push(start);
    const pts: Point[] = [];
    let sum = 0;
    let count = 0;
    while (stack.length) {
      const i = stack.pop()!;
      const x = i % width;
      const y = (i - x) / width;
      sum += prob[i];
      count++;
      let boundary = false;
      for (let dy = -1; dy <= 1; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= height) { boundary = true; continue; }
        for (let dx = -1; dx <= 1; dx++) {
          if (dx === 0 && dy === 0) continue;
          const xx = x + dx;
          if (xx < 0 || xx >= width) { boundary = true; continue; }
          const j = yy * width + xx;
          if (prob[j] > opts.binThreshold) {
            if (labels[j] === 0) {
              labels[j] = next;
              stack.push(j);
            }
          } else boundary = true;
        }
      }
      // pixel corners of boundary pixels make the hull cover whole pixels
      if (boundary) pts.push({ x, y }, { x: x + 1, y }, { x, y: y + 1 }, { x: x + 1, y: y + 1 });
    }
    if (count < opts.minSize * opts.minSize) continue;
    const score = sum / count;
    if (score < opts.boxThreshold) continue;
    const rect = minAreaRect(pts);
    if (rect.thickness < opts.minSize) continue;
    out.push({ rect: unclip(rect, opts.unclipRatio), score });
  }
  out.sort((a, b) => b.score - a.score);
  return out.slice(0, opts.maxCandidates);
}

/** Grow a rectangle on all sides by d = area·ratio / perimeter (PaddleOCR's unclip). */
export function unclip(r: RotatedRect, ratio: number): RotatedRect {
  const area = r.length * r.thickness;
  const perimeter = 2 * (r.length + r.thickness);
  const d = perimeter > 0 ? (area * ratio) / perimeter : 0;
  return { ...r, length: r.length + 2 * d, thickness: r.thickness + 2 * d };
}
