import { describe, expect, it } from 'vitest';
import { base64ToBytes, bytesToBase64, checkPixels, parseImageString, wireFromUrl } from '../../src/image/input.ts';
import { sniffImage } from '../../src/image/sniff.ts';
import { PlateLensError } from '../../src/errors.ts';
import { badInputs, pngHeader } from '../fixtures/bad-inputs.ts';

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

  it('rejects empty pixel buffers and wrong lengths', () => {
    expect(status(() => checkPixels(new Uint8ClampedArray(0), 0, 0))).toBe(400);
    expect(status(() => checkPixels(new Uint8ClampedArray(10), 2, 2))).toBe(400);
  });
});
