/**
 * Text-line recognition with a CTC line reader: quads in the original image → upright
 * crops of the reader's height → batched inference → decoded characters with
 * confidences and their positions back in the original image.
 *
 * Two readers use it: PlateLens' own VIN line reader (32 px, small and fast) and
 * PP-OCR's general recogniser (48 px, slower, reads any printed text). A `LineReader`
 * says how to feed one; the cropping, batching and decoding are shared.
 */
import { toCHW, warpQuad, type Point, type RawImage, type TensorSpec } from '../image/raw-image.ts';
import type { Engine, Tensor } from '../runtime/engine.ts';
import { ctcGreedy, type ClassFolding, type CtcChar } from './ctc.ts';
import { quadPoint } from './geometry.ts';

/** How to feed and decode one CTC line-reader model. */
export interface LineReader {
  model: string;
  inputName: string;
  /** Crop height; the width follows the line's aspect (up to maxWidth). */
  height: number;
  spec: TensorSpec;
  /** Model classes → emitted symbols. */
  folding: ClassFolding;
  maxWidth: number;
  batchSize: number;
}

/** A recognised character with its footprint in original-image pixels. */
export interface ReadChar extends CtcChar {
  corners: Point[];
}

export interface ReadLine {
  quad: Point[];
  chars: ReadChar[];
  text: string;
}

const WIDTH_ALIGN = 8;

export async function recognizeLines(
  engine: Engine,
  img: RawImage,
  quads: readonly Point[][],
  reader: LineReader,
): Promise<ReadLine[]> {
  const H = reader.height;
  const crops = quads.map((q) => {
    const len = Math.hypot(q[1].x - q[0].x, q[1].y - q[0].y);
    const thick = Math.hypot(q[3].x - q[0].x, q[3].y - q[0].y);
    const w = Math.max(16, Math.min(reader.maxWidth, Math.round((H * len) / Math.max(thick, 1))));
    return warpQuad(img, q, w, H);
  });
  // batch crops of similar width to limit padding
  const order = crops.map((_, i) => i).sort((a, b) => crops[a].width - crops[b].width);
  const results: ReadLine[] = new Array(quads.length);
  for (let s = 0; s < order.length; s += reader.batchSize) {
    const idx = order.slice(s, s + reader.batchSize);
    const W = Math.ceil(Math.max(...idx.map((i) => crops[i].width)) / WIDTH_ALIGN) * WIDTH_ALIGN;
    const plane = 3 * H * W;
    const batch = new Float32Array(idx.length * plane);
    idx.forEach((i, b) => toCHW(crops[i], reader.spec, batch, b * plane, W, 0));
    const out = Object.values(
      await engine.run(reader.model, { [reader.inputName]: { data: batch, dims: [idx.length, 3, H, W] } }),
    )[0];
    const [, T, C] = out.dims;
    idx.forEach((i, b) => {
      const validT = Math.min(T, Math.ceil((crops[i].width / W) * T));
      const chars = ctcGreedy(out.data, validT, C, reader.folding, b * T * C);
      const q = quads[i];
      const frameW = W / T / crops[i].width; // one frame as a fraction of the crop width
      const half = Math.min(0.5, (0.3 * H) / crops[i].width); // ≈ half a glyph
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

/** A small input that runs the reader once (warm-up, shader compile). */
export function warmupFeed(reader: LineReader): Record<string, Tensor> {
  return { [reader.inputName]: { data: new Float32Array(3 * reader.height * 96), dims: [1, 3, reader.height, 96] } };
}

/** Reader classes → upper-case alnum, ' ', ':' and '-' (any other ASCII punctuation); CJK dropped. */
export function foldToVinSymbols(cls: string): string | null {
  if (/^[0-9A-Za-z]$/.test(cls)) return cls.toUpperCase();
  if (cls === ' ') return ' ';
  if (/^[!-/:-@[-`{-~]$/.test(cls)) return cls === ':' ? ':' : '-';
  return null;
}
