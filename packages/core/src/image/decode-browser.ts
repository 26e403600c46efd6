/**
 * Browser (worker) decoders: createImageBitmap + OffscreenCanvas; EXIF orientation
 * applied. Images over the pixel budget are decoded straight to a smaller bitmap
 * (createImageBitmap's resize), so no full-size canvas or pixel copy is ever made.
 * `open*` keep the bitmap open and draw only the regions a stage asks for (plates: the
 * detector preview and the plate regions, not the full picture).
 */
import type { Patch } from './pixel-source.ts';
import { DEFAULT_LIMITS, sizeWithin, type DecodedImage, type Decoders, type ImageLimits, type OpenPicture } from './input.ts';
import { sniffImage, type ImageHeader } from './sniff.ts';

function bitmapToRaw(bitmap: ImageBitmap, width = bitmap.width, height = bitmap.height, previewSide?: number): DecodedImage {
  try {
    const sourceScale = bitmap.width / width;
    const img: DecodedImage = { ...draw(bitmap, width, height), ...(sourceScale === 1 ? {} : { sourceScale }) };
    const preview = previewOf(bitmap, width, height, previewSide);
    if (preview) img.preview = preview;
    return img;
  } finally {
    bitmap.close();
  }
}

// the detector's input scaled by Skia while the bitmap is at hand: ~1 ms against ~20 ms of
// JavaScript box-averaging + bilinear over the full picture
function previewOf(bitmap: ImageBitmap, width: number, height: number, previewSide?: number) {
  const k = previewSide ? previewSide / Math.max(width, height) : 1;
  return k < 1 ? draw(bitmap, Math.max(1, Math.round(width * k)), Math.max(1, Math.round(height * k))) : undefined;
}

/** The bitmap as a PixelSource: regions are drawn 1:1 from it on demand; `close` frees it. */
function openBitmap(bitmap: ImageBitmap, previewSide?: number, sourceScale?: number): OpenPicture {
  const { width, height } = bitmap;
  let preview;
  try {
    preview = previewOf(bitmap, width, height, previewSide);
  } catch (e) {
    bitmap.close();
    throw e;
  }
  let whole: Patch | undefined;
  return {
    width,
    height,
    ...(preview ? { preview } : {}),
    ...(sourceScale && sourceScale !== 1 ? { sourceScale } : {}),
    region(r) {
      if (whole) return whole;
      if (r.x <= 0 && r.y <= 0 && r.width >= width && r.height >= height) {
        return (whole = { pixels: draw(bitmap, width, height), x: 0, y: 0 });
      }
      return { pixels: draw(bitmap, r.width, r.height, r), x: r.x, y: r.y };
    },
    close: () => bitmap.close(),
  };
}

/** The bitmap (or its rectangle `src`, drawn 1:1) as RGBA pixels of size width × height. */
function draw(bitmap: ImageBitmap, width: number, height: number, src?: { x: number; y: number; width: number; height: number }) {
  const canvas = new OffscreenCanvas(width, height);
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error('2D canvas unavailable');
  // transparent pixels read as white paper (as in Node and the cloud encoder), not as black
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, width, height);
  ctx.imageSmoothingQuality = 'high'; // mipmapped downscale: small text does not alias away
  if (src) ctx.drawImage(bitmap, src.x, src.y, src.width, src.height, 0, 0, width, height);
  else ctx.drawImage(bitmap, 0, 0, width, height);
  const { data } = ctx.getImageData(0, 0, width, height);
  return { data, width, height };
}

/** Encoded bytes → a bitmap within the pixel budget (decoded straight to the smaller size), and the scale. */
async function bitmapOf(bytes: Uint8Array, limits: ImageLimits, header: ImageHeader) {
  const [w, h] = header.swapsAxes ? [header.height, header.width] : [header.width, header.height];
  const fit = sizeWithin(w, h, limits.maxDecodePixels);
  const options: ImageBitmapOptions = { imageOrientation: 'from-image' };
  if (fit.scaled) Object.assign(options, { resizeWidth: fit.width, resizeHeight: fit.height, resizeQuality: 'medium' });
  const bitmap = await createImageBitmap(new Blob([bytes as Uint8Array<ArrayBuffer>]), options);
  return { bitmap, sourceScale: fit.scaled ? w / bitmap.width : undefined };
}

export const browserDecoders: Decoders = {
  async decodeBytes(bytes, limits = DEFAULT_LIMITS, header = sniffImage(bytes), hints = {}) {
    const { bitmap, sourceScale } = await bitmapOf(bytes, limits, header);
    const raw = bitmapToRaw(bitmap, bitmap.width, bitmap.height, hints.previewSide);
    return sourceScale ? { ...raw, sourceScale } : raw;
  },
  async decodeBitmap(bitmap, limits = DEFAULT_LIMITS, hints = {}) {
    const fit = sizeWithin(bitmap.width, bitmap.height, limits.maxDecodePixels);
    return bitmapToRaw(bitmap, fit.width, fit.height, hints.previewSide);
  },
  async openBytes(bytes, limits = DEFAULT_LIMITS, header = sniffImage(bytes), hints = {}) {
    const { bitmap, sourceScale } = await bitmapOf(bytes, limits, header);
    return openBitmap(bitmap, hints.previewSide, sourceScale);
  },
  async openBitmap(bitmap, limits = DEFAULT_LIMITS, hints = {}) {
    const fit = sizeWithin(bitmap.width, bitmap.height, limits.maxDecodePixels);
    if (!fit.scaled) return openBitmap(bitmap, hints.previewSide);
    // over the pixel budget: one smaller bitmap (createImageBitmap's resize), then as above
    try {
      const small = await createImageBitmap(bitmap, { resizeWidth: fit.width, resizeHeight: fit.height, resizeQuality: 'medium' });
      return openBitmap(small, hints.previewSide, bitmap.width / fit.width);
    } finally {
      bitmap.close();
    }
  },
};
