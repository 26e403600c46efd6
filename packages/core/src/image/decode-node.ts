/**
 * Node decoders: sharp (libvips) for JPEG/PNG/WebP/GIF, EXIF orientation applied;
 * BMP (which libvips does not read) by bmp.ts, so Node reads what browsers read.
 * Images over the pixel budget are decoded downscaled (libjpeg/libwebp shrink-on-load),
 * so a 50 MP JPEG never becomes a 200 MB buffer. Asked for a preview (the plate detector's input
 * side), libvips decodes it too, so the letterbox skips the JavaScript box-averaging + bilinear
 * over the whole picture (1280×720: letterbox 15.3 → 0.9 ms).
 */
import { decodeBmp } from './bmp.ts';
import { DEFAULT_LIMITS, sizeWithin, withinBudget, type DecodedImage, type Decoders } from './input.ts';
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
      const open = () => sharp(bytes, { limitInputPixels: MAX_PIXELS, failOn, ignoreIcc: true }).rotate().flatten({ background: '#ffffff' });
      const full = fit.scaled ? open().resize(fit.width, fit.height, { fit: 'fill' }) : open();
      // the preview is decoded from the bytes beside the full picture (libvips threads; JPEG
      // shrink-on-load), not scaled from the decoded pixels: handing 1280×960 RGBA back to
      // libvips cost ~5 ms, more than the decode itself (~3 ms). The kernel moves end-to-end
      // reading on plates-openlpr-val (box placement shifts): cubic 94.4 %, linear 93.5, lanczos3
      // 92.2, nearest 91.3; cubic matches the JavaScript area-then-bilinear resize (94.4)
      const side = previewSize(fit.width, fit.height, hints.previewSide);
      const [{ data, info }, preview] = await Promise.all([
        full.ensureAlpha().raw().toBuffer({ resolveWithObject: true }),
        side ? open().resize(side.width, side.height, { fit: 'fill', kernel: 'cubic' }).ensureAlpha().raw().toBuffer() : null,
      ]);
      const img: DecodedImage = { data: clamped(data), width: info.width, height: info.height };
      if (side && preview) img.preview = { data: clamped(preview), ...side };
      return fit.scaled ? { ...img, sourceScale: w / info.width } : img;
    },
  };
}

const clamped = (b: Buffer) => new Uint8ClampedArray(b.buffer, b.byteOffset, b.byteLength);

/** The preview's size: the picture's with its longer side `side`, when that is smaller. */
function previewSize(width: number, height: number, side?: number): { width: number; height: number } | null {
  const k = side ? side / Math.max(width, height) : 1;
  return k < 1 ? { width: Math.max(1, Math.round(width * k)), height: Math.max(1, Math.round(height * k)) } : null;
}
