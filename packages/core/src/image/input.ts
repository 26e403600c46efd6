/**
 * Every accepted input becomes a WireImage (a transferable description) and then a
 * RawImage. Parsing strings (data URL, base64, URL) and validating pixel buffers is
 * pure and shared; the actual decoders are injected per platform (decode-node.ts,
 * decode-browser.ts).
 */
import { errors } from '../errors.ts';
import { MAX_PIXELS, MAX_SIDE, sniffImage, type ImageHeader } from './sniff.ts';
import { rawSource, type PixelSource } from './pixel-source.ts';
import { resize, type RawImage } from './raw-image.ts';

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

/** A transferred (detached) buffer reads as empty or throws: say what happened instead. */
export function notDetached<B extends ArrayBufferLike>(b: B): B {
  if (isDetached(b)) {
    throw errors.invalidImage('the buffer is detached (it was transferred to a worker or another call)');
  }
  return b;
}

function isDetached(b: ArrayBufferLike): boolean {
  const flag = (b as { detached?: unknown }).detached;
  if (typeof flag === 'boolean') return flag;
  // Node 20 has no .detached: a view over a detached buffer cannot even be constructed
  try {
    new Uint8Array(b, 0, 0);
    return false;
  } catch {
    return true;
  }
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

/** A decoded image, maybe downscaled: one decoded pixel is `sourceScale` source pixels. */
export interface DecodedImage extends RawImage {
  sourceScale?: number;
  /**
   * The same picture with its longer side `DecodeHints.previewSide`, scaled by the platform
   * while decoding (the browser's drawImage): the detector's input without a JavaScript
   * resize of the full image. Absent when not asked for or not smaller than the image.
   */
  preview?: RawImage;
}

/** What the caller will do with the pixels, so a decoder can prepare it cheaply. */
export interface DecodeHints {
  previewSide?: number;
}

/** A decoded picture whose full-resolution pixels are read a region at a time; close it when the call is done. */
export interface OpenPicture extends PixelSource {
  sourceScale?: number;
  close(): void;
}

export interface Decoders {
  /** Encoded bytes (already sniffed) → pixels, downscaled to fit limits.maxDecodePixels. */
  decodeBytes(bytes: Uint8Array, limits?: ImageLimits, header?: ImageHeader, hints?: DecodeHints): Promise<DecodedImage>;
  decodeBitmap?(bitmap: ImageBitmap, limits?: ImageLimits, hints?: DecodeHints): Promise<DecodedImage>;
  /** Like decodeBytes / decodeBitmap, but pixels are read only where asked (the browser keeps the bitmap open). */
  openBytes?(bytes: Uint8Array, limits?: ImageLimits, header?: ImageHeader, hints?: DecodeHints): Promise<OpenPicture>;
  openBitmap?(bitmap: ImageBitmap, limits?: ImageLimits, hints?: DecodeHints): Promise<OpenPicture>;
  /** URL → body bytes within limits (Node: the SSRF-guarded fetch; browser: fetch). */
  fetchUrl?(url: string, limits: ImageLimits): Promise<Uint8Array>;
}

/** Per-recognizer bounds on what one call may cost. */
export interface ImageLimits {
  /** Whole URL fetch (redirects and body included). */
  urlTimeoutMs: number;
  /** URL body cap, counted after content decoding (a gzip bomb stops here). */
  maxUrlBytes: number;
  /** Larger images are decoded downscaled to fit this many pixels. */
  maxDecodePixels: number;
}

export const DEFAULT_LIMITS: ImageLimits = {
  urlTimeoutMs: 15_000,
  maxUrlBytes: 32 * 1024 * 1024,
  maxDecodePixels: 16_000_000,
};

/** The size a width × height picture is decoded at within maxPixels (each side floored, ≥ 1); its own size when it fits. */
export function sizeWithin(width: number, height: number, maxPixels: number): { width: number; height: number; scaled: boolean } {
  if (width * height <= maxPixels) return { width, height, scaled: false };
  const k = Math.sqrt(maxPixels / (width * height));
  return { width: Math.max(1, Math.floor(width * k)), height: Math.max(1, Math.floor(height * k)), scaled: true };
}

/** Decoded pixels brought within the pixel budget by a JavaScript resize, with their sourceScale. */
export function withinBudget(img: RawImage, maxPixels: number): DecodedImage {
  const fit = sizeWithin(img.width, img.height, maxPixels);
  if (!fit.scaled) return img;
  const small = resize(img, fit.width, fit.height);
  return { ...small, sourceScale: img.width / small.width };
}

const checkBitmap = (b: ImageBitmap) => checkPixels({ length: b.width * b.height * 4 }, b.width, b.height);
const fetchBytes = (url: string, dec: Decoders, limits: ImageLimits) =>
  dec.fetchUrl ? dec.fetchUrl(url, limits) : fetchWithLimits(url, limits, fetch);

/** WireImage → RawImage (downscaled past the pixel budget), with every failure a typed 400. */
export async function materialize(
  wire: WireImage,
  dec: Decoders,
  limits: ImageLimits = DEFAULT_LIMITS,
  hints: DecodeHints = {},
): Promise<DecodedImage> {
  switch (wire.kind) {
    case 'pixels':
      checkPixels(wire.data, wire.width, wire.height);
      return withinBudget({ data: wire.data, width: wire.width, height: wire.height }, limits.maxDecodePixels);
    case 'bitmap':
      if (!dec.decodeBitmap) throw errors.invalidImage('ImageBitmap is not supported here');
      checkBitmap(wire.bitmap);
      return typedDecode(() => dec.decodeBitmap!(wire.bitmap, limits, hints));
    case 'url':
      return materialize({ kind: 'bytes', bytes: await fetchBytes(wire.url, dec, limits) }, dec, limits, hints);
    case 'bytes': {
      const header = sniffImage(wire.bytes);
      return typedDecode(async () => {
        const img = await dec.decodeBytes(wire.bytes, limits, header, hints);
        checkPixels(img.data, img.width, img.height);
        return img;
      });
    }
  }
}

/**
 * WireImage → OpenPicture, for stages that read a preview and a few regions (plates): with a
 * decoder that can open pictures no full-size pixel copy is made; otherwise the decoded image.
 */
export async function openPicture(
  wire: WireImage,
  dec: Decoders,
  limits: ImageLimits = DEFAULT_LIMITS,
  hints: DecodeHints = {},
): Promise<OpenPicture> {
  if (wire.kind === 'bytes' && dec.openBytes) {
    const header = sniffImage(wire.bytes);
    return typedDecode(() => dec.openBytes!(wire.bytes, limits, header, hints));
  }
  if (wire.kind === 'bitmap' && dec.openBitmap) {
    checkBitmap(wire.bitmap);
    return typedDecode(() => dec.openBitmap!(wire.bitmap, limits, hints));
  }
  if (wire.kind === 'url' && dec.openBytes) {
    return openPicture({ kind: 'bytes', bytes: await fetchBytes(wire.url, dec, limits) }, dec, limits, hints);
  }
  const img = await materialize(wire, dec, limits, hints);
  return { ...rawSource(img), ...(img.sourceScale ? { sourceScale: img.sourceScale } : {}), close() {} };
}

async function typedDecode<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if ((e as { name?: string }).name === 'PlateLensError') throw e;
    throw errors.invalidImage(`could not decode image (${(e as Error).message ?? e})`);
  }
}

/**
 * fetch() with the call's limits: one deadline for headers and body, the body read
 * as a stream and cancelled at maxUrlBytes (fetch has already undone gzip, so the
 * count is of decoded bytes). Messages name only the status, never the body.
 */
export async function fetchWithLimits(url: string, limits: ImageLimits, fetchImpl: typeof fetch): Promise<Uint8Array> {
  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(), limits.urlTimeoutMs);
  try {
    const res = await fetchImpl(url, { signal: ctrl.signal, credentials: 'same-origin' });
    if (!res.ok) {
      void res.body?.cancel().catch(() => undefined);
      throw errors.invalidImage(`image URL answered HTTP ${res.status}`);
    }
    return await readCapped(res, limits.maxUrlBytes);
  } catch (e) {
    if ((e as { name?: string }).name === 'PlateLensError') throw e;
    if (ctrl.signal.aborted) throw errors.invalidImage(`image URL did not answer within ${limits.urlTimeoutMs} ms`);
    throw errors.invalidImage(`image URL could not be fetched (${(e as Error).message ?? e})`);
  } finally {
    clearTimeout(timer);
    ctrl.abort(); // ends a body we stopped reading
  }
}

/** A Response body, refused early on its Content-Length and cancelled at maxBytes. */
export async function readCapped(res: Response, maxBytes: number): Promise<Uint8Array> {
  const tooBig = () => errors.tooLarge(`image URL body is larger than ${maxBytes} bytes`);
  const declared = Number(res.headers.get('content-length'));
  if (declared > maxBytes && !res.headers.get('content-encoding')) {
    void res.body?.cancel().catch(() => undefined);
    throw tooBig();
  }
  if (!res.body) return new Uint8Array(await res.arrayBuffer());
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let n = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    n += value.byteLength;
    if (n > maxBytes) {
      void reader.cancel().catch(() => undefined);
      throw tooBig();
    }
    chunks.push(value);
  }
  const out = new Uint8Array(n);
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.byteLength;
  }
  return out;
}

export function limitsFrom(o: Partial<ImageLimits>): ImageLimits {
  return {
    urlTimeoutMs: o.urlTimeoutMs ?? DEFAULT_LIMITS.urlTimeoutMs,
    maxUrlBytes: o.maxUrlBytes ?? DEFAULT_LIMITS.maxUrlBytes,
    maxDecodePixels: o.maxDecodePixels ?? DEFAULT_LIMITS.maxDecodePixels,
  };
}

/** Every box ({xmin, ymin, xmax, ymax}) in a result, at any depth, replaced by `f(box)`. */
export function mapBoxes<T>(result: T, f: (b: { xmin: number; ymin: number; xmax: number; ymax: number }) => object): T {
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (!v || typeof v !== 'object') return v;
    const o = v as Record<string, unknown>;
    const isBox = BOX_KEYS.every((k) => typeof o[k] === 'number');
    const out: Record<string, unknown> = {};
    for (const [key, val] of Object.entries(o)) out[key] = isBox && BOX_KEYS.includes(key) ? val : walk(val);
    return isBox ? { ...out, ...f(o as { xmin: number; ymin: number; xmax: number; ymax: number }) } : out;
  };
  return walk(result) as T;
}

const BOX_KEYS = ['xmin', 'ymin', 'xmax', 'ymax'];

/** Boxes of a result on a downscaled image → source pixels (every {xmin, ymin, xmax, ymax} in it). */
export function scaleBoxes<T>(result: T, k: number | undefined): T {
  if (k === undefined || k === 1) return result;
  return mapBoxes(result, (b) => ({ xmin: Math.round(b.xmin * k), ymin: Math.round(b.ymin * k), xmax: Math.round(b.xmax * k), ymax: Math.round(b.ymax * k) }));
}
