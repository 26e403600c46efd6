/**
 * Fit an image into the detector input: scale so the longer side is `size`, place it
 * top-left, pad the short side up to a multiple of `multiple` (not to a square: the
 * detector is fully convolutional, so a 16:9 frame costs 16:9 of the compute).
 */
import { asSource, wholePicture, type PixelSource } from '../image/pixel-source.ts';
import { resize, type RawImage } from '../image/raw-image.ts';
import type { Box } from '../schemas.ts';

export interface Letterbox {
  /** [1,3,H,W] RGB in 0..1, padding = pad/255. */
  data: Float32Array;
  width: number;
  height: number;
  /** input pixels per original pixel */
  scale: number;
}

/** `alloc` gives the tensor's buffer (default a fresh one); every element is written. */
export function letterbox(
  picture: (RawImage & { preview?: RawImage }) | PixelSource,
  size: number,
  pad = 114,
  multiple = 32,
  alloc: (n: number) => Float32Array = (n) => new Float32Array(n),
): Letterbox {
  const img = asSource(picture);
  const scale = size / Math.max(img.width, img.height);
  const w = Math.max(1, Math.round(img.width * scale));
  const h = Math.max(1, Math.round(img.height * scale));
  const W = Math.ceil(w / multiple) * multiple;
  const H = Math.ceil(h / multiple) * multiple;
  // a decoder's preview at this size (or larger) spares reading and resizing the full picture
  const p = img.preview;
  const from = p && p.width >= w && p.height >= h ? p : wholePicture(img);
  const small = from.width === w && from.height === h ? from : resize(from, w, h);
  return { data: planar(small.data, w, h, W, H, pad / 255, alloc(3 * W * H)), width: W, height: H, scale };
}

/** Byte → byte / 255, the same floats as the division. */
const UNIT = Float32Array.from({ length: 256 }, (_, v) => v / 255);

/**
 * RGBA pixels (w × h) → the [3, H, W] tensor in 0..1, `padValue` right of and below them.
 * A table instead of a division per value (the same floats), and only the padding written
 * with the pad value rather than the whole tensor filled first.
 */
function planar(src: ArrayLike<number>, w: number, h: number, W: number, H: number, padValue: number, data: Float32Array): Float32Array {
  const plane = W * H, plane2 = 2 * plane;
  for (let y = 0; y < h; y++) {
    let s = y * w * 4;
    for (let o = y * W, end = o + w; o < end; o++, s += 4) {
      data[o] = UNIT[src[s]];
      data[plane + o] = UNIT[src[s + 1]];
      data[plane2 + o] = UNIT[src[s + 2]];
    }
  }
  if (w < W || h < H) {
    for (let y = 0; y < H; y++) {
      for (let o = y * W + (y < h ? w : 0), end = (y + 1) * W; o < end; o++) data[o] = data[plane + o] = data[plane2 + o] = padValue;
    }
  }
  return data;
}

/** Detector-input box → original-image box, clamped to the image. */
export function unletterbox(b: Box, lb: Pick<Letterbox, 'scale'>, imgW: number, imgH: number): Box {
  const c = (v: number, hi: number) => Math.max(0, Math.min(hi, v / lb.scale));
  return { xmin: c(b.xmin, imgW), ymin: c(b.ymin, imgH), xmax: c(b.xmax, imgW), ymax: c(b.ymax, imgH) };
}
