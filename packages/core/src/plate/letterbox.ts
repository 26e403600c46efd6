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

export function letterbox(picture: (RawImage & { preview?: RawImage }) | PixelSource, size: number, pad = 114, multiple = 32): Letterbox {
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
  const plane = W * H;
  const data = new Float32Array(3 * plane).fill(pad / 255);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const s = (y * w + x) * 4;
      const o = y * W + x;
      data[o] = small.data[s] / 255;
      data[plane + o] = small.data[s + 1] / 255;
      data[2 * plane + o] = small.data[s + 2] / 255;
    }
  }
  return { data, width: W, height: H, scale };
}

/** Detector-input box → original-image box, clamped to the image. */
export function unletterbox(b: Box, lb: Pick<Letterbox, 'scale'>, imgW: number, imgH: number): Box {
  const c = (v: number, hi: number) => Math.max(0, Math.min(hi, v / lb.scale));
  return { xmin: c(b.xmin, imgW), ymin: c(b.ymin, imgH), xmax: c(b.xmax, imgW), ymax: c(b.ymax, imgH) };
}
