/**
 * PixelSource: a picture a stage reads a rectangle at a time. The plate pipeline needs a
 * detector-size preview and the few plate regions at full resolution, never the whole picture
 * at full size: in the browser the decoded bitmap stays open and only those rectangles are drawn
 * and read back (a full-size getImageData was ~37 ms of a ~190 ms plate call in Chromium). A
 * decoded RawImage is a source too, whose regions are the image itself (no copy).
 */
import type { RawImage } from './raw-image.ts';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Pixels at full resolution, whose top-left pixel is (x, y) of the picture. */
export interface Patch {
  pixels: RawImage;
  x: number;
  y: number;
}

export interface PixelSource {
  readonly width: number;
  readonly height: number;
  /** The picture scaled down by the platform while decoding (DecodedImage.preview). */
  readonly preview?: RawImage;
  /** Full-resolution pixels covering `r` (clipped to the picture); may cover more. */
  region(r: Rect): Patch;
}

export const isPixelSource = (x: RawImage | PixelSource): x is PixelSource => typeof (x as PixelSource).region === 'function';

/** A decoded image as a source: every region is the whole image, offset 0. */
export function rawSource(img: RawImage & { preview?: RawImage }): PixelSource {
  const whole: Patch = { pixels: img, x: 0, y: 0 };
  return { width: img.width, height: img.height, ...(img.preview ? { preview: img.preview } : {}), region: () => whole };
}

export const asSource = (img: RawImage | PixelSource): PixelSource => (isPixelSource(img) ? img : rawSource(img));

/** The whole picture at full resolution. */
export const wholePicture = (src: PixelSource): RawImage => src.region({ x: 0, y: 0, width: src.width, height: src.height }).pixels;

/** The integer rectangle covering [x0, x1] × [y0, y1] (one pixel more each side, for bilinear taps), clipped. */
export function coveringRect(x0: number, y0: number, x1: number, y1: number, width: number, height: number): Rect {
  const l = Math.min(width - 1, Math.max(0, Math.floor(x0) - 1)), t = Math.min(height - 1, Math.max(0, Math.floor(y0) - 1));
  const r = Math.min(width, Math.ceil(x1) + 2), b = Math.min(height, Math.ceil(y1) + 2);
  return { x: l, y: t, width: Math.max(1, r - l), height: Math.max(1, b - t) };
}
