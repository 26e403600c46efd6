/** Text-line detection with PP-OCR's DB detector: image → rotated text-line rectangles. */
import { FloatPool } from '../image/float-pool.ts';
import { resize, toCHW, type RawImage, type TensorSpec } from '../image/raw-image.ts';
import type { Engine } from '../runtime/engine.ts';
import { dbPostprocess, DEFAULT_DB, type DbOptions } from './db-postprocess.ts';
import type { RotatedRect } from './geometry.ts';

export const TEXT_DET_MODEL = 'text-det';

// PaddleOCR feeds OpenCV's BGR with ImageNet mean/std listed in RGB order; we match it.
const DET_SPEC: TensorSpec = {
  colorOrder: 'BGR',
  scale: 255,
  mean: [0.485, 0.456, 0.406],
  std: [0.229, 0.224, 0.225],
};

export interface DetectedLine {
  /** Rectangle in original-image pixels. */
  rect: RotatedRect;
  score: number;
}

export interface DetectTextOptions {
  /** Longer side of the detector input (multiple of 32). */
  maxSide: number;
  db?: Partial<DbOptions>;
}

/** Detector input size for an image: longer side → maxSide (never more than 2× up), multiples of 32. */
export function detInputSize(width: number, height: number, maxSide: number): { w: number; h: number } {
  const s = Math.min(maxSide / Math.max(width, height), 2);
  const r32 = (v: number) => Math.max(32, Math.round((v * s) / 32) * 32);
  return { w: r32(width), h: r32(height) };
}

/** Detector inputs, reused across calls (image/float-pool.ts: a fresh one is 2.7 MB of page faults at 640). */
const detectorInputs = new FloatPool();

export async function detectText(engine: Engine, img: RawImage, opts: DetectTextOptions): Promise<DetectedLine[]> {
  const { w, h } = detInputSize(img.width, img.height, opts.maxSide);
  const input = toCHW(resize(img, w, h), DET_SPEC, detectorInputs.take(3 * w * h));
  let out;
  try {
    out = await engine.run(TEXT_DET_MODEL, { x: { data: input, dims: [1, 3, h, w] } });
  } finally {
    detectorInputs.give(input);
  }
  const prob = Object.values(out)[0];
  const [mh, mw] = [prob.dims[2], prob.dims[3]];
  const regions = dbPostprocess(prob.data, mw, mh, { ...DEFAULT_DB, ...opts.db });
  const sx = img.width / mw;
  const sy = img.height / mh;
  return regions.map(({ rect, score }) => ({ rect: scaleRect(rect, sx, sy), score }));
}

/** Map a rect through an anisotropic scale (recomputing its axis and side lengths). */
export function scaleRect(r: RotatedRect, sx: number, sy: number): RotatedRect {
  const lx = r.ux * r.length * sx, ly = r.uy * r.length * sy;
  const length = Math.hypot(lx, ly);
  // the normal direction scales by the same factors
  const tx = -r.uy * r.thickness * sx, ty = r.ux * r.thickness * sy;
  const ux = length > 0 ? lx / length : 1;
  const uy = length > 0 ? ly / length : 0;
  // thickness measured perpendicular to the new axis
  const thickness = Math.abs(-uy * tx + ux * ty);
  return { cx: r.cx * sx, cy: r.cy * sy, ux, uy, length, thickness };
}

