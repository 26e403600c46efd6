/**
 * Every accepted input becomes a WireImage (a transferable description) and then a
 * RawImage. Parsing strings (data URL, base64, URL) and validating pixel buffers is
 * pure and shared; the actual decoders are injected per platform (decode-node.ts,
 * decode-browser.ts).
 */
import { errors } from '../errors.ts';
import { MAX_PIXELS, MAX_SIDE, sniffImage } from './sniff.ts';
import type { RawImage } from './raw-image.ts';

export type WireImage =
  | { kind: 'bytes'; bytes: Uint8Array }
  | { kind: 'pixels'; data: Uint8ClampedArray; width: number; height: number }
  | { kind: 'url'; url: string }
  | { kind: 'bitmap'; bitmap: ImageBitmap };

const BASE64_RE = /^[A-Za-z0-9+/_-]+={0,2}$/;

/** CarsXE's `image_url` takes a URL or base64 (optionally as a data URL): so do we. */
export function parseImageString(s: string): WireImage {
  const t = s.trim();
  if (t === '') throw errors.missingImage();
  if (t.startsWith('data:')) {
    const comma = t.indexOf(',');
    if (comma < 0 || !/;base64$/i.test(t.slice(0, comma))) throw errors.invalidImage('data URL must be base64-encoded');
    return { kind: 'bytes', bytes: base64ToBytes(t.slice(comma + 1)) };
  }
  // Only an absolute http(s)/blob URL is a URL. Anything else is base64: JPEG base64
  // starts with '/9j/', and reading it as a page-relative path would send the image
  // to the server inside a GET. Relative paths must be passed as `new URL(path, base)`.
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(t)?.[1].toLowerCase();
  if (scheme !== undefined) {
    if (scheme !== 'http' && scheme !== 'https' && scheme !== 'blob') {
      throw errors.invalidImage(`${scheme}: URLs are not supported (pass an http(s): or blob: URL, a data URL or base64)`);
    }
    return { kind: 'url', url: urlFromString(t) };
  }
  return { kind: 'bytes', bytes: base64ToBytes(t) };
}

/** `new URL` that throws a typed 400 and refuses URLs with credentials. */
export function urlFromString(s: string): string {
  let u: URL;
  try {
    u = new URL(s);
  } catch {
    throw errors.invalidImage('malformed image URL');
  }
  if (u.username || u.password) throw errors.invalidImage('image URL must not contain credentials');
  return u.href;
}

/** A URL object input (the way to pass a relative path: `new URL('/car.jpg', location.href)`). */
export function wireFromUrl(u: URL): WireImage {
  if (u.protocol !== 'http:' && u.protocol !== 'https:' && u.protocol !== 'blob:') {
    throw errors.invalidImage(`${u.protocol} URLs are not supported (pass an http(s): or blob: URL)`);
  }
  return { kind: 'url', url: urlFromString(u.href) };
}

export function base64ToBytes(b64: string): Uint8Array {
  const clean = b64.replace(/\s+/g, '');
  if (clean.length === 0) throw errors.missingImage();
  if (!BASE64_RE.test(clean) || clean.replace(/=+$/, '').length % 4 === 1) {
    throw errors.invalidImage('not a URL and not valid base64');
  }
  const std = clean.replace(/-/g, '+').replace(/_/g, '/');
  const bin = atob(std.padEnd(Math.ceil(std.length / 4) * 4, '='));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export function bytesToBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

export function checkPixels(data: ArrayLike<number>, width: number, height: number): void {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw errors.invalidImage(`image has no pixels (${width}×${height})`);
  }
  if (width > MAX_SIDE || height > MAX_SIDE || width * height > MAX_PIXELS) {
    throw errors.invalidImage(`${width}×${height} exceeds the ${MAX_SIDE}px / ${MAX_PIXELS / 1e6} MP limit`);
  }
  if (data.length !== width * height * 4) {
    throw errors.invalidImage(`pixel buffer has ${data.length} bytes, expected ${width * height * 4} (RGBA)`);
  }
}

export interface Decoders {
  /** Encoded bytes (already sniffed) → pixels. */
  decodeBytes(bytes: Uint8Array): Promise<RawImage>;
  decodeBitmap?(bitmap: ImageBitmap): Promise<RawImage>;
  fetch?: typeof fetch;
}

const URL_TIMEOUT_MS = 15_000;

/** WireImage → RawImage, with every failure a typed 400. */
export async function materialize(wire: WireImage, dec: Decoders): Promise<RawImage> {
  switch (wire.kind) {
    case 'pixels':
      checkPixels(wire.data, wire.width, wire.height);
      return { data: wire.data, width: wire.width, height: wire.height };
    case 'bitmap':
      if (!dec.decodeBitmap) throw errors.invalidImage('ImageBitmap is not supported here');
      checkPixels({ length: wire.bitmap.width * wire.bitmap.height * 4 }, wire.bitmap.width, wire.bitmap.height);
      return dec.decodeBitmap(wire.bitmap);
    case 'url':
      return materialize({ kind: 'bytes', bytes: await fetchImage(wire.url, dec.fetch ?? fetch) }, dec);
    case 'bytes': {
      sniffImage(wire.bytes);
      try {
        const img = await dec.decodeBytes(wire.bytes);
        checkPixels(img.data, img.width, img.height);
        return img;
      } catch (e) {
        if ((e as { name?: string }).name === 'PlateLensError') throw e;
        throw errors.invalidImage(`could not decode image (${(e as Error).message ?? e})`);
      }
    }
  }
}

async function fetchImage(url: string, fetchImpl: typeof fetch): Promise<Uint8Array> {
  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(), URL_TIMEOUT_MS);
  try {
    const res = await fetchImpl(url, { signal: ctrl.signal });
    if (!res.ok) throw errors.invalidImage(`image URL answered HTTP ${res.status}`);
    return new Uint8Array(await res.arrayBuffer());
  } catch (e) {
    if ((e as { name?: string }).name === 'PlateLensError') throw e;
    throw errors.invalidImage(`image URL could not be fetched (${(e as Error).message ?? e})`);
  } finally {
    clearTimeout(timer);
  }
}
