/**
 * Node decoders: sharp (libvips) for JPEG/PNG/WebP/GIF, EXIF orientation applied;
 * BMP (which libvips does not read) by bmp.ts, so Node reads what browsers read.
 * Images over the pixel budget are decoded downscaled (libjpeg/libwebp shrink-on-load),
 * so a 50 MP JPEG never becomes a 200 MB buffer.
 */
import { decodeBmp } from './bmp.ts';
import { DEFAULT_LIMITS, sizeWithin, withinBudget, type Decoders } from './input.ts';
import { MAX_PIXELS, sniffImage } from './sniff.ts';
import { importPeer } from '../runtime/node-peer.ts';

export async function nodeDecoders(): Promise<Decoders> {
  const sharp = (await importPeer<typeof import('sharp')>('sharp')).default;
  return {
    async decodeBytes(bytes, limits = DEFAULT_LIMITS, header = sniffImage(bytes)) {
      if (header.format === 'bmp') return withinBudget(decodeBmp(bytes), limits.maxDecodePixels);
      const [w, h] = header.swapsAxes ? [header.height, header.width] : [header.width, header.height];
      const fit = sizeWithin(w, h, limits.maxDecodePixels);
      // the browser's policy on both platforms: a PNG with a bad chunk CRC is refused (libpng
      // 'error'), other formats only fail when truncated; transparency is flattened on white
      const failOn = header.format === 'png' ? 'error' : 'truncated';
      let pipeline = sharp(bytes, { limitInputPixels: MAX_PIXELS, failOn }).rotate().flatten({ background: '#ffffff' });
      if (fit.scaled) pipeline = pipeline.resize(fit.width, fit.height, { fit: 'fill' });
      const { data, info } = await pipeline.ensureAlpha().raw().toBuffer({ resolveWithObject: true });
      const img = {
        data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.byteLength),
        width: info.width,
        height: info.height,
      };
      return fit.scaled ? { ...img, sourceScale: w / info.width } : img;
    },
  };
}
