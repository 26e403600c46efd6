import { describe, expect, it } from 'vitest';
import { base64ToBytes, bytesToBase64, checkPixels, parseImageString } from '../../src/image/input.ts';
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
