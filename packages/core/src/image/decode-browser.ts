/** Browser (worker) decoders: createImageBitmap + OffscreenCanvas; EXIF orientation applied. */
import type { Decoders } from './input.ts';
import type { RawImage } from './raw-image.ts';

function bitmapToRaw(bitmap: ImageBitmap): RawImage {
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error('2D canvas unavailable');
  ctx.drawImage(bitmap, 0, 0);
  const { data, width, height } = ctx.getImageData(0, 0, bitmap.width, bitmap.height);
  bitmap.close();
  return { data, width, height };
}

export const browserDecoders: Decoders = {
  async decodeBytes(bytes) {
    const bitmap = await createImageBitmap(new Blob([bytes as Uint8Array<ArrayBuffer>]), { imageOrientation: 'from-image' });
    return bitmapToRaw(bitmap);
  },
  async decodeBitmap(bitmap) {
    return bitmapToRaw(bitmap);
  },
};
