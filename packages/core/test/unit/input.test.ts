import { describe, expect, it } from 'vitest';
import { base64ToBytes, bytesToBase64, checkPixels, parseImageString, wireFromUrl } from '../../src/image/input.ts';
import { sniffImage } from '../../src/image/sniff.ts';
import { PlateLensError } from '../../src/errors.ts';
import { badInputs, pngHeader } from '../fixtures/bad-inputs.ts';
import { encodeBmp, gifWithFrame } from '../fixtures/encoders.ts';
import { decodeBmp } from '../../src/image/bmp.ts';
import { scaleBoxes } from '../../src/image/input.ts';

const status = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(PlateLensError);
    return (e as PlateLensError).status;
  }
  return 0;
};

describe('image strings (CarsXE image_url: URL or base64)', () => {
  it('parses data URLs, raw base64 and URLs', () => {
    const bytes = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
    expect(parseImageString(`data:image/png;base64,${bytesToBase64(bytes)}`)).toEqual({ kind: 'bytes', bytes });
    expect(parseImageString(bytesToBase64(bytes))).toEqual({ kind: 'bytes', bytes });
    expect(parseImageString('https://example.com/a.jpg')).toEqual({ kind: 'url', url: 'https://example.com/a.jpg' });
  });

  it("reads '/9j/…' (JPEG base64) as base64, never as a path; only absolute http(s)/blob URLs are URLs", () => {
    const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46]);
    const b64 = bytesToBase64(jpeg);
    expect(b64.startsWith('/9j/')).toBe(true);
    expect(parseImageString(b64)).toEqual({ kind: 'bytes', bytes: jpeg });
    expect(parseImageString('blob:http://a.example/1234')).toEqual({ kind: 'url', url: 'blob:http://a.example/1234' });
    expect(wireFromUrl(new URL('/car.jpg', 'http://page.example/app/'))).toEqual({ kind: 'url', url: 'http://page.example/car.jpg' });
    for (const s of ['/images/car.jpg', './car.jpg', '../car.jpg', 'file:///etc/passwd', 'javascript:alert(1)', 'http://user:pw@x.example/a.jpg', 'http://']) {
      expect(status(() => parseImageString(s)), s).toBe(400);
    }
  });

  it('accepts url-safe base64 and whitespace', () => {
    expect(base64ToBytes('+/8=\n')).toEqual(base64ToBytes('-_8='));
  });

  it('rejects empty input as missing and junk as invalid', () => {
    expect(status(() => parseImageString('   '))).toBe(400);
    expect(() => parseImageString('not base64 at all!')).toThrow(/Invalid image data/);
    expect(() => parseImageString('data:image/png,abc')).toThrow(/base64/);
  });
});

describe('header sniffing', () => {
  it('reads PNG dimensions', () => {
    const iend = [0, 0, 0, 0, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82];
    const png = new Uint8Array([...pngHeader(640, 480), ...iend]);
    expect(sniffImage(png)).toEqual({ format: 'png', width: 640, height: 480 });
  });

  it.each(badInputs().filter((b) => b.kind === 'bytes'))('rejects $name with a 400', ({ bytes }) => {
    expect(status(() => sniffImage(bytes!))).toBe(400);
  });

  it('checks every GIF frame, not only the logical screen (a 10×10 screen with a 20000×20000 frame is refused)', () => {
    expect(sniffImage(gifWithFrame(10, 10, 10, 10))).toEqual({ format: 'gif', width: 10, height: 10 });
    expect(() => sniffImage(gifWithFrame(10, 10, 20000, 20000))).toThrow(/GIF frame reaches 20000×20000 exceeds/);
    expect(() => sniffImage(gifWithFrame(10, 10, 9000, 9000))).toThrow(/exceeds the 12000px \/ 50 MP limit/);
  });

  it('accepts data after a valid end (JPEG after EOI, PNG after IEND) but not a file that stops before it', () => {
    const iend = [0, 0, 0, 0, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82];
    const trailer = new Uint8Array(100_000).fill(0x41);
    const png = new Uint8Array([...pngHeader(64, 32), ...iend, ...trailer]);
    expect(sniffImage(png).format).toBe('png');
    expect(status(() => sniffImage(new Uint8Array([...pngHeader(64, 32), ...trailer])))).toBe(400);
    // SOI, SOF0 64×32, SOS, a little entropy data, EOI, then a 100 KB "Motion Photo" trailer
    const sof = [0xff, 0xc0, 0, 11, 8, 0, 32, 0, 64, 1, 1, 0x11, 0];
    const sos = [0xff, 0xda, 0, 8, 1, 1, 0, 0, 0x3f, 0];
    const jpeg = new Uint8Array([0xff, 0xd8, ...sof, ...sos, 1, 2, 0xff, 0, 3, 0xff, 0xd9, ...trailer]);
    expect(sniffImage(jpeg)).toEqual({ format: 'jpeg', width: 64, height: 32 });
    const cut = new Uint8Array([0xff, 0xd8, ...sof, ...sos, 1, 2, 0xff, 0, 3, ...trailer]);
    expect(() => sniffImage(cut)).toThrow(/JPEG file is truncated/);
  });

  it('decodes BMP: 24-bit, 32-bit with alpha (flattened on white), 8-bit palette; refuses truncated ones', () => {
    const rgba = new Uint8Array([255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 0, 10, 20, 30, 255, 40, 50, 60, 255, 70, 80, 90, 128]);
    const b24 = decodeBmp(encodeBmp(rgba, 3, 2, 24));
    expect([b24.width, b24.height]).toEqual([3, 2]);
    expect(Array.from(b24.data.subarray(0, 12))).toEqual([255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255]);
    const b32 = decodeBmp(encodeBmp(rgba, 3, 2, 32));
    expect(Array.from(b32.data.subarray(8, 12))).toEqual([255, 255, 255, 255]); // alpha 0 → white
    expect(b32.data[20]).toBe(Math.round(70 * (128 / 255) + 255 * (1 - 128 / 255)));
    const b8 = decodeBmp(encodeBmp(rgba, 3, 2, 8));
    expect(b8.data[0]).toBe(Math.round(0.299 * 255));
    expect(status(() => decodeBmp(encodeBmp(rgba, 3, 2, 24).subarray(0, 60)))).toBe(400);
    expect(sniffImage(encodeBmp(rgba, 3, 2, 24))).toEqual({ format: 'bmp', width: 3, height: 2 });
  });

  it('scaleBoxes maps every box of a result on a downscaled image back to source pixels', () => {
    const r = { vin: 'X', box: { xmin: 1, ymin: 2, xmax: 3, ymax: 4 }, candidates: [{ box: { xmin: 10, ymin: 0, xmax: 20, ymax: 5 }, confidence: 0.5 }] };
    expect(scaleBoxes(r, 2.5)).toEqual({ vin: 'X', box: { xmin: 3, ymin: 5, xmax: 8, ymax: 10 }, candidates: [{ box: { xmin: 25, ymin: 0, xmax: 50, ymax: 13 }, confidence: 0.5 }] });
    expect(scaleBoxes(r, undefined)).toBe(r);
  });

  it('rejects empty pixel buffers and wrong lengths', () => {
    expect(status(() => checkPixels(new Uint8ClampedArray(0), 0, 0))).toBe(400);
    expect(status(() => checkPixels(new Uint8ClampedArray(10), 2, 2))).toBe(400);
  });
});
