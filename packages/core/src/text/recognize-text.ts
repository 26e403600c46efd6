/**
 * Text-line recognition with PP-OCR's CTC recogniser: quads in the original image →
 * upright 48-px crops → batched inference → decoded characters with confidences and
 * their positions back in the original image.
 */
import { toCHW, warpQuad, type Point, type RawImage, type TensorSpec } from '../image/raw-image.ts';
import type { Engine } from '../runtime/engine.ts';
import { ctcGreedy, type ClassFolding, type CtcChar } from './ctc.ts';
import { quadPoint } from './geometry.ts';

export const TEXT_REC_MODEL = 'text-rec';
const REC_H = 48;
const REC_SPEC: TensorSpec = { colorOrder: 'BGR', scale: 255, mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5] };

/** A recognised character with its footprint in original-image pixels. */
export interface ReadChar extends CtcChar {
  corners: Point[];
}

export interface ReadLine {
  quad: Point[];
  chars: ReadChar[];
  text: string;
}

export interface RecognizeOptions {
  maxWidth: number;
  batchSize: number;
}

export const DEFAULT_REC: RecognizeOptions = { maxWidth: 960, batchSize: 8 };

export async function recognizeLines(
  engine: Engine,
  img: RawImage,
  quads: readonly Point[][],
  folding: ClassFolding,
  opts: RecognizeOptions = DEFAULT_REC,
): Promise<ReadLine[]> {
  const crops = quads.map((q) => {
    const len = Math.hypot(q[1].x - q[0].x, q[1].y - q[0].y);
    const thick = Math.hypot(q[3].x - q[0].x, q[3].y - q[0].y);
    const w = Math.max(16, Math.min(opts.maxWidth, Math.round((REC_H * len) / Math.max(thick, 1))));
    return warpQuad(img, q, w, REC_H);
  });
  // batch crops of similar width to limit padding
  const order = crops.map((_, i) => i).sort((a, b) => crops[a].width - crops[b].width);
  const results: ReadLine[] = new Array(quads.length);
  for (let s = 0; s < order.length; s += opts.batchSize) {
    const idx = order.slice(s, s + opts.batchSize);
    const W = Math.ceil(Math.max(...idx.map((i) => crops[i].width)) / 8) * 8;
    const plane = 3 * REC_H * W;
    const batch = new Float32Array(idx.length * plane);
    idx.forEach((i, b) => toCHW(crops[i], REC_SPEC, batch, b * plane, W, 0));
    const out = Object.values(
      await engine.run(TEXT_REC_MODEL, { x: { data: batch, dims: [idx.length, 3, REC_H, W] } }),
    )[0];
    const [, T, C] = out.dims;
    idx.forEach((i, b) => {
      const validT = Math.min(T, Math.ceil((crops[i].width / W) * T));
      const chars = ctcGreedy(out.data, validT, C, folding, b * T * C);
      const q = quads[i];
      const frameW = W / T / crops[i].width; // one frame as a fraction of the crop width
      const half = Math.min(0.5, (0.3 * REC_H) / crops[i].width); // ≈ half a glyph
      const read = chars.map((c) => {
        const u = (c.frame + 0.5) * frameW;
        const u0 = Math.max(0, u - half), u1 = Math.min(1, u + half);
        return { ...c, corners: [quadPoint(q, u0, 0), quadPoint(q, u1, 0), quadPoint(q, u1, 1), quadPoint(q, u0, 1)] };
      });
      results[i] = { quad: q, chars: read, text: read.map((c) => c.char).join('') };
    });
  }
  return results;
}

export const WARMUP_REC = { x: { data: new Float32Array(3 * REC_H * 96), dims: [1, 3, REC_H, 96] } };

/** PP-OCR classes → upper-case alnum, ' ' and '-' (any other ASCII punctuation); CJK dropped. */
export function ppocrFoldSymbol(cls: string): string | null {
  if (/^[0-9A-Za-z]$/.test(cls)) return cls.toUpperCase();
  if (cls === ' ') return ' ';
  if (/^[!-/:-@[-`{-~]$/.test(cls)) return cls === ':' ? ':' : '-';
  return null;
}
