/**
 * A small BMP decoder (uncompressed 24/32-bit, 32-bit BI_BITFIELDS, 1/4/8-bit
 * palette), the forms cameras, scanners and Windows tools write. Pure TS over bytes.
 */
import { errors } from '../errors.ts';
import type { RawImage } from './raw-image.ts';

export function decodeBmp(b: Uint8Array): RawImage {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (b.length < 54) throw errors.invalidImage('BMP header is truncated');
  const dataOffset = dv.getUint32(10, true);
  const headerSize = dv.getUint32(14, true);
  if (headerSize < 40) throw errors.invalidImage('BMP core headers (OS/2 1.x) are not supported');
  const width = dv.getInt32(18, true);
  const rawHeight = dv.getInt32(22, true);
  const bpp = dv.getUint16(28, true);
  const compression = dv.getUint32(30, true);
  const height = Math.abs(rawHeight);
  const bottomUp = rawHeight > 0;
  if (width <= 0 || height === 0) throw errors.invalidImage('BMP has zero width or height');
  if (compression !== 0 && !(compression === 3 && bpp === 32)) {
    throw errors.invalidImage(`BMP compression ${compression} is not supported (uncompressed or 32-bit bitfields only)`);
  }
  if (![1, 4, 8, 24, 32].includes(bpp)) throw errors.invalidImage(`BMP with ${bpp} bits per pixel is not supported`);
  const stride = Math.ceil((width * bpp) / 32) * 4;
  if (dataOffset + stride * height > b.length) throw errors.invalidImage('BMP file is truncated');

  let palette: Uint8Array | null = null;
  if (bpp <= 8) {
    const colours = dv.getUint32(46, true) || 1 << bpp;
    const at = 14 + headerSize;
    if (at + colours * 4 > dataOffset) throw errors.invalidImage('BMP palette is truncated');
    palette = b.subarray(at, at + colours * 4);
  }
  // 32-bit masks: BI_BITFIELDS gives them (after a 40-byte header or inside a V4/V5 one)
  let masks = [0x00ff0000, 0x0000ff00, 0x000000ff, 0];
  let hasAlpha = false;
  if (bpp === 32 && compression === 3) {
    masks = [dv.getUint32(54, true), dv.getUint32(58, true), dv.getUint32(62, true), headerSize >= 56 ? dv.getUint32(66, true) : 0];
    hasAlpha = masks[3] !== 0;
  }
  const shift = (m: number) => (m === 0 ? 0 : 31 - Math.clz32(m & -m));
  const bits = (m: number) => (m === 0 ? 0 : 32 - Math.clz32(m >>> shift(m)));
  const chan = masks.map((m) => ({ m: m >>> 0, s: shift(m), max: (1 << bits(m)) - 1 }));

  const out = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    const row = dataOffset + (bottomUp ? height - 1 - y : y) * stride;
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 4;
      if (bpp === 24) {
        const i = row + x * 3;
        out[o] = b[i + 2];
        out[o + 1] = b[i + 1];
        out[o + 2] = b[i];
        out[o + 3] = 255;
      } else if (bpp === 32) {
        const v = dv.getUint32(row + x * 4, true);
        for (let c = 0; c < 3; c++) {
          const { m, s, max } = chan[c];
          out[o + c] = max ? (((v & m) >>> s) * 255) / max : 0;
        }
        if (hasAlpha) {
          // flattened on white, as the other decoders do
          const a = ((v & chan[3].m) >>> chan[3].s) / chan[3].max;
          for (let c = 0; c < 3; c++) out[o + c] = out[o + c] * a + 255 * (1 - a);
        }
        out[o + 3] = 255;
      } else {
        const perByte = 8 / bpp;
        const byte = b[row + Math.floor(x / perByte)];
        const idx = (byte >> (8 - bpp * ((x % perByte) + 1))) & ((1 << bpp) - 1);
        const p = idx * 4;
        if (p + 3 > palette!.length) throw errors.invalidImage('BMP pixel refers past its palette');
        out[o] = palette![p + 2];
        out[o + 1] = palette![p + 1];
        out[o + 2] = palette![p];
        out[o + 3] = 255;
      }
    }
  }
  return { data: out, width, height };
}
