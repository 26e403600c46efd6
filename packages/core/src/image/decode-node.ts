/** Node decoders: sharp (libvips) for JPEG/PNG/WebP/GIF, EXIF orientation applied. */
import type { Decoders } from './input.ts';
import { MAX_PIXELS } from './sniff.ts';
import { importPeer } from '../runtime/node-peer.ts';

export async function nodeDecoders(): Promise<Decoders> {
  const sharp = (await importPeer<typeof import('sharp')>('sharp')).default;
  return {
    async decodeBytes(bytes) {
      const { data, info } = await sharp(bytes, { limitInputPixels: MAX_PIXELS, failOn: 'truncated' })
        .rotate()
        .ensureAlpha()
        .raw()
        .toBuffer({ resolveWithObject: true });
      return {
        data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.byteLength),
        width: info.width,
        height: info.height,
      };
    },
  };
}
