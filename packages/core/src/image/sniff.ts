/**
 * Identify an encoded image from its first bytes and read its dimensions from the
 * header, before any decoder runs: a text file, an SVG, a truncated file or a
 * 40000×40000 "decompression bomb" is rejected here with a clear 400.
 */
import { errors } from '../errors.ts';

export type ImageFormat = 'jpeg' | 'png' | 'webp' | 'gif' | 'bmp';

export interface ImageHeader {
  format: ImageFormat;
  width: number;
  height: number;
}

/** Limits for decoded images: big enough for any camera, small enough for a phone's memory. */
export const MAX_SIDE = 12000;
export const MAX_PIXELS = 50_000_000;

export function sniffImage(bytes: Uint8Array): ImageHeader {
  if (bytes.length === 0) throw errors.missingImage();
  if (bytes.length < 16) throw errors.invalidImage('file too short to be an image');
  const head = readHeader(bytes);
  if (!head) throw errors.invalidImage(describeUnknown(bytes));
  if (head.width <= 0 || head.height <= 0) throw errors.invalidImage(`${head.format} has zero width or height`);
  if (head.width > MAX_SIDE || head.height > MAX_SIDE || head.width * head.height > MAX_PIXELS) {
    throw errors.invalidImage(
      `${head.width}×${head.height} exceeds the ${MAX_SIDE}px / ${MAX_PIXELS / 1e6} MP limit`,
    );
  }
  if (isTruncated(bytes, head.format)) throw errors.invalidImage(`${head.format.toUpperCase()} file is truncated`);
  return head;
}

/** JPEG must end with EOI, PNG with IEND (allowing a little trailing data). */
function isTruncated(b: Uint8Array, format: ImageFormat): boolean {
  const tail = b.subarray(Math.max(0, b.length - 65536));
  if (format === 'jpeg') {
    for (let i = tail.length - 2; i >= 0; i--) if (tail[i] === 0xff && tail[i + 1] === 0xd9) return false;
    return true;
  }
  if (format === 'png') {
    for (let i = tail.length - 4; i >= 0; i--) {
      if (tail[i] === 0x49 && tail[i + 1] === 0x45 && tail[i + 2] === 0x4e && tail[i + 3] === 0x44) return false;
    }
    return true;
  }
  return false;
}

function describeUnknown(b: Uint8Array): string {
  const text = new TextDecoder().decode(b.subarray(0, 256)).trimStart().toLowerCase();
  if (text.startsWith('<svg') || (text.startsWith('<?xml') && text.includes('<svg'))) {
    return 'SVG is not supported (send a raster image: JPEG, PNG or WebP)';
  }
  return 'not a JPEG, PNG, WebP, GIF or BMP file';
}

const u16be = (b: Uint8Array, i: number) => (b[i] << 8) | b[i + 1];
const u16le = (b: Uint8Array, i: number) => b[i] | (b[i + 1] << 8);
const u32be = (b: Uint8Array, i: number) => ((b[i] << 24) >>> 0) + (b[i + 1] << 16) + (b[i + 2] << 8) + b[i + 3];
const u24le = (b: Uint8Array, i: number) => b[i] | (b[i + 1] << 8) | (b[i + 2] << 16);
const ascii = (b: Uint8Array, i: number, n: number) => String.fromCharCode(...b.subarray(i, i + n));

function readHeader(b: Uint8Array): ImageHeader | null {
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return jpegHeader(b);
  if (b[0] === 0x89 && ascii(b, 1, 3) === 'PNG') {
    if (b.length < 24 || ascii(b, 12, 4) !== 'IHDR') throw errors.invalidImage('PNG header is truncated');
    return { format: 'png', width: u32be(b, 16), height: u32be(b, 20) };
  }
  if (ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 4) === 'WEBP') return webpHeader(b);
  if (ascii(b, 0, 3) === 'GIF') return { format: 'gif', width: u16le(b, 6), height: u16le(b, 8) };
  if (ascii(b, 0, 2) === 'BM' && b.length >= 26) {
    const w = b[18] | (b[19] << 8) | (b[20] << 16) | (b[21] << 24);
    const h = b[22] | (b[23] << 8) | (b[24] << 16) | (b[25] << 24);
    return { format: 'bmp', width: Math.abs(w), height: Math.abs(h) };
  }
  return null;
}

function jpegHeader(b: Uint8Array): ImageHeader {
  let i = 2;
  while (i + 9 < b.length) {
    if (b[i] !== 0xff) {
      i++;
      continue;
    }
    const marker = b[i + 1];
    if (marker === 0xff) {
      i++;
      continue;
    }
    // SOF0..SOF15 except DHT (C4), JPG (C8), DAC (CC) carry the frame size.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { format: 'jpeg', height: u16be(b, i + 5), width: u16be(b, i + 7) };
    }
    if (marker === 0xd9 || marker === 0xda) break; // EOI / start of scan before any frame header
    i += 2 + u16be(b, i + 2);
  }
  throw errors.invalidImage('JPEG is truncated or has no frame header');
}

function webpHeader(b: Uint8Array): ImageHeader {
  const chunk = ascii(b, 12, 4);
  if (chunk === 'VP8 ' && b.length >= 30) {
    return { format: 'webp', width: u16le(b, 26) & 0x3fff, height: u16le(b, 28) & 0x3fff };
  }
  if (chunk === 'VP8L' && b.length >= 25) {
    const bits = b[21] | (b[22] << 8) | (b[23] << 16) | (b[24] << 24);
    return { format: 'webp', width: (bits & 0x3fff) + 1, height: ((bits >> 14) & 0x3fff) + 1 };
  }
  if (chunk === 'VP8X' && b.length >= 30) {
    return { format: 'webp', width: u24le(b, 24) + 1, height: u24le(b, 27) + 1 };
  }
  throw errors.invalidImage('WebP header is truncated');
}
