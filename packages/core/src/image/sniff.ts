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
  /** EXIF orientation 5–8 (JPEG): the decoded image is height×width. */
  swapsAxes?: boolean;
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
  if (head.format === 'gif') checkGifFrames(bytes);
  if (isTruncated(bytes, head.format)) throw errors.invalidImage(`${head.format.toUpperCase()} file is truncated`);
  if (head.format === 'jpeg' && jpegSwapsAxes(bytes)) head.swapsAxes = true;
  return head;
}

const tooBig = (w: number, h: number, what: string) =>
  w > MAX_SIDE || h > MAX_SIDE || w * h > MAX_PIXELS
    ? errors.invalidImage(`${what} ${w}×${h} exceeds the ${MAX_SIDE}px / ${MAX_PIXELS / 1e6} MP limit`)
    : null;

/**
 * Every GIF frame must fit the limits too: browsers grow the canvas to a frame that is
 * larger than the logical screen, so a 35-byte file with a 20000×20000 frame would
 * allocate gigabytes. Walks the block structure only (no LZW decoding).
 */
function checkGifFrames(b: Uint8Array): void {
  let i = 13;
  if (b[10] & 0x80) i += 3 * (1 << ((b[10] & 7) + 1)); // global colour table
  const skipSubBlocks = () => {
    while (i < b.length && b[i] !== 0) i += b[i] + 1;
    i++;
  };
  while (i < b.length) {
    const t = b[i];
    if (t === 0x3b) return; // trailer
    if (t === 0x21) {
      i += 2; // extension introducer + label
      skipSubBlocks();
    } else if (t === 0x2c) {
      if (i + 10 > b.length) return;
      const right = u16le(b, i + 1) + u16le(b, i + 5);
      const bottom = u16le(b, i + 3) + u16le(b, i + 7);
      const e = tooBig(right, bottom, 'GIF frame reaches');
      if (e) throw e;
      const flags = b[i + 9];
      i += 10;
      if (flags & 0x80) i += 3 * (1 << ((flags & 7) + 1)); // local colour table
      i++; // LZW minimum code size
      skipSubBlocks();
    } else {
      return; // not GIF structure any more: the decoder will judge
    }
  }
}

/**
 * A JPEG must reach EOI after its first scan, a PNG must reach IEND: anything after
 * that (a Motion Photo video, an appended thumbnail) is ignored, not called truncated.
 */
function isTruncated(b: Uint8Array, format: ImageFormat): boolean {
  if (format === 'jpeg') {
    const sos = jpegSegmentStart(b, 0xda);
    if (sos < 0) return true;
    // entropy-coded data never holds 0xFF 0xD9 (0xFF is stuffed as FF 00), so the first one is EOI
    for (let i = sos + 2; i < b.length - 1; i++) if (b[i] === 0xff && b[i + 1] === 0xd9) return false;
    return true;
  }
  if (format === 'png') {
    for (let i = 8; i + 8 <= b.length; ) {
      const len = u32be(b, i);
      if (ascii(b, i + 4, 4) === 'IEND') return false;
      i += 12 + len;
    }
    return true;
  }
  return false;
}

/** Offset of the first marker FF <marker> found by walking the segments (-1: none). */
function jpegSegmentStart(b: Uint8Array, marker: number): number {
  let i = 2;
  while (i + 3 < b.length) {
    if (b[i] !== 0xff) return -1;
    const m = b[i + 1];
    if (m === 0xff) {
      i++;
      continue;
    }
    if (m === marker) return i;
    if (m === 0xd9) return -1;
    if (m === 0x01 || (m >= 0xd0 && m <= 0xd7)) {
      i += 2;
      continue;
    }
    i += 2 + u16be(b, i + 2);
  }
  return -1;
}

/** EXIF orientation 5–8 (transposed / rotated 90°) in APP1, read from IFD0 only. */
function jpegSwapsAxes(b: Uint8Array): boolean {
  let i = 2;
  while (i + 3 < b.length && b[i] === 0xff) {
    const m = b[i + 1];
    const len = u16be(b, i + 2);
    if (m === 0xda || m === 0xd9) return false;
    if (m === 0xe1 && ascii(b, i + 4, 6) === 'Exif\0\0') {
      const t = i + 10; // TIFF header
      const le = b[t] === 0x49;
      const r16 = (o: number) => (le ? u16le(b, t + o) : u16be(b, t + o));
      const r32 = (o: number) => (le ? u16le(b, t + o) + u16le(b, t + o + 2) * 65536 : u32be(b, t + o));
      const ifd = r32(4);
      const n = r16(ifd);
      for (let k = 0; k < n && t + ifd + 2 + k * 12 + 10 <= b.length; k++) {
        const e = ifd + 2 + k * 12;
        if (r16(e) === 0x0112) return r16(e + 8) >= 5 && r16(e + 8) <= 8;
      }
      return false;
    }
    i += 2 + len;
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
