/**
 * Node decoders: sharp (libvips) for JPEG/PNG/WebP/GIF, EXIF orientation applied;
 * BMP (which libvips does not read) by bmp.ts, so Node reads what browsers read.
 * Images over the pixel budget are decoded downscaled (libjpeg/libwebp shrink-on-load),
 * so a 50 MP JPEG never becomes a 200 MB buffer. Asked for a preview (the plate detector's input
 * side), libvips scales it from the decoded pixels, so the letterbox skips the JavaScript
 * box-averaging + bilinear over the whole picture (1280×720: letterbox 15.3 → 0.9 ms).
 */
import { decodeBmp } from './bmp.ts';
import { DEFAULT_LIMITS, sizeWithin, withinBudget, type DecodedImage, type Decoders } from './input.ts';
import type { RawImage } from './raw-image.ts';
import { MAX_PIXELS, sniffImage } from './sniff.ts';
import { importPeer } from '../runtime/node-peer.ts';

export async function nodeDecoders(): Promise<Decoders> {
  const sharp = (await importPeer<typeof import('sharp')>('sharp')).default;
  return {
    async decodeBytes(bytes, limits = DEFAULT_LIMITS, header = sniffImage(bytes), hints = {}) {
      if (header.format === 'bmp') return withinBudget(decodeBmp(bytes), limits.maxDecodePixels);
      const [w, h] = header.swapsAxes ? [header.height, header.width] : [header.width, header.height];
      const fit = sizeWithin(w, h, limits.maxDecodePixels);
      // the browser's policy on both platforms: a PNG with a bad chunk CRC is refused (libpng
      // 'error'), other formats only fail when truncated; transparency is flattened on white
      const failOn = header.format === 'png' ? 'error' : 'truncated';
      // ignoreIcc: an embedded profile's transform to sRGB (lcms) took ~25 ms of a ~38 ms decode
      // of a 1280×720 JPEG; the models were trained on pixels as stored (PIL / OpenCV apply no profile)
      let pipeline = sharp(bytes, { limitInputPixels: MAX_PIXELS, failOn, ignoreIcc: true }).rotate().flatten({ background: '#ffffff' });
      if (fit.scaled) pipeline = pipeline.resize(fit.width, fit.height, { fit: 'fill' });
      const { data, info } = await pipeline.ensureAlpha().raw().toBuffer({ resolveWithObject: true });
      const img: DecodedImage = {
        data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.byteLength),
        width: info.width,
        height: info.height,
      };
      const preview = await previewOf(sharp, img, hints.previewSide);
      if (preview) img.preview = preview;
      return fit.scaled ? { ...img, sourceScale: w / info.width } : img;
    },
  };
}

/** The picture with its longer side `side` (when that is smaller), scaled by libvips. */
async function previewOf(sharp: (typeof import('sharp'))['default'], img: RawImage, side?: number): Promise<RawImage | undefined> {
  const k = side ? side / Math.max(img.width, img.height) : 1;
  if (k >= 1) return undefined;
  const width = Math.max(1, Math.round(img.width * k)), height = Math.max(1, Math.round(img.height * k));
  const { data } = await sharp(img.data, { raw: { width: img.width, height: img.height, channels: 4 } })
    .resize(width, height, { fit: 'fill', kernel: 'linear' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.byteLength), width, height };
}
