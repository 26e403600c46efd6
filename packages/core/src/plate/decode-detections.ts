/**
 * Anchor-free detector output → boxes: local maxima (3×3) of the centre heatmap above
 * a threshold, each with its distances to the box sides (ltrb, input pixels).
 */
import type { ScoredBox } from './nms.ts';

export interface DetectorOutput {
  heat: Float32Array; // [H*W]
  ltrb: Float32Array; // [4*H*W]
  width: number;
  height: number;
  stride: number;
}

export function decodeDetections(o: DetectorOutput, threshold: number, peakKernel = 3): ScoredBox[] {
  const { heat, ltrb, width: W, height: H, stride } = o;
  const r = peakKernel >> 1;
  const plane = W * H;
  const out: ScoredBox[] = [];
  for (let i = 0; i < H; i++) {
    for (let j = 0; j < W; j++) {
      const k = i * W + j;
      const s = heat[k];
      if (s < threshold) continue;
      let peak = true;
      for (let di = -r; di <= r && peak; di++) {
        for (let dj = -r; dj <= r; dj++) {
          const ii = i + di, jj = j + dj;
          if ((di || dj) && ii >= 0 && ii < H && jj >= 0 && jj < W && heat[ii * W + jj] > s) {
            peak = false;
            break;
          }
        }
      }
      if (!peak) continue;
      const cx = (j + 0.5) * stride;
      const cy = (i + 0.5) * stride;
      out.push({
        score: s,
        box: { xmin: cx - ltrb[k], ymin: cy - ltrb[plane + k], xmax: cx + ltrb[2 * plane + k], ymax: cy + ltrb[3 * plane + k] },
      });
    }
  }
  return out;
}
