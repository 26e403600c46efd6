/**
 * ImageInput → CarsXE's `image_url` (a public URL or base64).
 *  - string: an absolute http(s) URL or base64 / data URL, passed through (validated
 *    like local inputs); blob: URLs, which CarsXE cannot fetch, are read here and sent
 *    as base64; a URL object on the page's origin likewise;
 *  - encoded bytes (Uint8Array, ArrayBuffer, Blob): sent as-is, base64;
 *  - pixels (ImageData, {data,width,height}, canvas, ImageBitmap, <img>, <video>):
 *    drawn on an OffscreenCanvas and encoded to JPEG (browsers; Node has no
 *    OffscreenCanvas, so pass encoded bytes there).
 */
import { bytesToBase64, parseImageString, PlateLensError, wireFromUrl, type ImageInput } from '@platelens/core';

const JPEG_QUALITY = 0.9;

const has = (name: string) => typeof (globalThis as Record<string, unknown>)[name] === 'function';

const missing = () => new PlateLensError(400, 'MISSING_IMAGE', 'Missing image data');
const invalid = (why: string) => new PlateLensError(400, 'INVALID_IMAGE', `Invalid image data: ${why}`);

export async function toImageUrl(input: ImageInput): Promise<string> {
  if (input == null) throw missing();
  if (typeof input === 'string') {
    const s = input.trim();
    if (s === '') throw missing();
    // the same rule as the local path (parseImageString): only an absolute http(s)/blob
    // URL is a URL; '/9j/…' is JPEG base64 and is sent as such, never fetched
    const wire = parseImageString(s);
    if (wire.kind === 'url') return /^blob:/i.test(wire.url) ? bytesToBase64(await fetchLocal(wire.url)) : wire.url;
    return s;
  }
  if (input instanceof URL) {
    const { url } = wireFromUrl(input) as { url: string };
    return isPageLocal(input) ? bytesToBase64(await fetchLocal(url)) : url;
  }
  if (input instanceof ArrayBuffer) return nonEmpty(new Uint8Array(input));
  if (input instanceof Uint8Array) return nonEmpty(input);
  if (has('Blob') && input instanceof Blob) return nonEmpty(new Uint8Array(await input.arrayBuffer()));
  return bytesToBase64(await encodeJpeg(input as PixelSource));
}

function nonEmpty(bytes: Uint8Array): string {
  if (bytes.byteLength === 0) throw missing();
  return bytesToBase64(bytes);
}

/** A blob: URL or a URL on the page's own origin (CarsXE cannot fetch those): read it here. */
function isPageLocal(u: URL): boolean {
  return u.protocol === 'blob:' || (globalThis.location !== undefined && u.origin === globalThis.location.origin);
}

async function fetchLocal(s: string): Promise<Uint8Array> {
  try {
    const res = await fetch(s, { credentials: 'same-origin' });
    if (!res.ok) throw invalid(`image URL answered HTTP ${res.status}`);
    return new Uint8Array(await res.arrayBuffer());
  } catch (e) {
    if (e instanceof PlateLensError) throw e;
    throw invalid(`image URL could not be read (${(e as Error).message ?? e})`);
  }
}

type PixelSource = Exclude<ImageInput, string | URL | ArrayBuffer | Uint8Array | Blob>;

/** Pixels → JPEG bytes via OffscreenCanvas.convertToBlob. */
export async function encodeJpeg(input: PixelSource): Promise<Uint8Array> {
  if (!has('OffscreenCanvas')) {
    throw invalid(
      'pixel and DOM image inputs are encoded with OffscreenCanvas, which this runtime lacks: pass encoded bytes (JPEG/PNG) or a URL',
    );
  }
  let bitmap: ImageBitmap | undefined;
  try {
    let w: number;
    let h: number;
    let draw: (ctx: OffscreenCanvasRenderingContext2D) => void;
    if (has('ImageData') && input instanceof ImageData) {
      // via a bitmap (not putImageData) so transparent pixels are composited on white
      bitmap = await createImageBitmap(input);
      const b = bitmap;
      ({ width: w, height: h } = b);
      draw = (ctx) => ctx.drawImage(b, 0, 0);
    } else if (has('HTMLVideoElement') && input instanceof HTMLVideoElement) {
      if (input.readyState < 2 || input.videoWidth === 0) throw invalid('video has no current frame yet');
      bitmap = await createImageBitmap(input);
      const b = bitmap;
      ({ width: w, height: h } = b);
      draw = (ctx) => ctx.drawImage(b, 0, 0);
    } else if (has('HTMLImageElement') && input instanceof HTMLImageElement) {
      if (!input.complete || input.naturalWidth === 0) throw invalid('image element is not loaded');
      w = input.naturalWidth;
      h = input.naturalHeight;
      draw = (ctx) => ctx.drawImage(input, 0, 0, w, h);
    } else if (
      (has('ImageBitmap') && input instanceof ImageBitmap) ||
      (has('HTMLCanvasElement') && input instanceof HTMLCanvasElement) ||
      input instanceof OffscreenCanvas
    ) {
      ({ width: w, height: h } = input);
      draw = (ctx) => ctx.drawImage(input, 0, 0);
    } else if (typeof input === 'object' && 'data' in input && 'width' in input && 'height' in input) {
      const { data, width, height } = input;
      if (!(width > 0 && height > 0) || data.length !== width * height * 4) {
        throw invalid(`pixel buffer has ${data.length} bytes for ${width}×${height} (RGBA expected)`);
      }
      bitmap = await createImageBitmap(new ImageData(new Uint8ClampedArray(data), width, height));
      const b = bitmap;
      ({ width: w, height: h } = b);
      draw = (ctx) => ctx.drawImage(b, 0, 0);
    } else {
      throw invalid('unsupported input type');
    }
    if (!(w > 0 && h > 0)) throw invalid(`image has no pixels (${w}×${h})`);
    const canvas = new OffscreenCanvas(w, h);
    const ctx = canvas.getContext('2d');
    if (!ctx) throw invalid('2D canvas unavailable');
    // JPEG has no alpha: flatten on white rather than black
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, w, h);
    draw(ctx);
    const blob = await canvas.convertToBlob({ type: 'image/jpeg', quality: JPEG_QUALITY });
    return new Uint8Array(await blob.arrayBuffer());
  } catch (e) {
    if (e instanceof PlateLensError) throw e;
    // e.g. a tainted canvas (cross-origin image without CORS) refuses to be encoded
    throw invalid(`could not encode the image for the cloud (${(e as Error).message ?? e})`);
  } finally {
    bitmap?.close();
  }
}
