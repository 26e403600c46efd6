/** Greedy non-maximum suppression in TypeScript (the WebGPU EP has no NMS kernel). */
import type { Box } from '../schemas.ts';

export interface ScoredBox {
  box: Box;
  score: number;
}

export function iou(a: Box, b: Box): number {
  const iw = Math.min(a.xmax, b.xmax) - Math.max(a.xmin, b.xmin);
  const ih = Math.min(a.ymax, b.ymax) - Math.max(a.ymin, b.ymin);
  if (iw <= 0 || ih <= 0) return 0;
  const inter = iw * ih;
  const area = (x: Box) => (x.xmax - x.xmin) * (x.ymax - x.ymin);
  return inter / (area(a) + area(b) - inter);
}

/** Keep the best-scoring boxes, dropping any that overlap a kept one by more than `iouThreshold`. */
export function nms<T extends ScoredBox>(boxes: readonly T[], iouThreshold: number, maxOut = 100): T[] {
  const sorted = [...boxes].sort((a, b) => b.score - a.score);
  const kept: T[] = [];
  for (const b of sorted) {
    if (kept.length >= maxOut) break;
    if (kept.every((k) => iou(k.box, b.box) <= iouThreshold)) kept.push(b);
  }
  return kept;
}
