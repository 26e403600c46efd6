/**
 * Video-mode reading of one decoded frame, shared by the worker and Node: the region of
 * interest, boxes back in frame pixels, and "nothing found" as an empty result instead of
 * CarsXE's 404 (still-image calls keep the 404).
 */
import { PlateLensError } from '../errors.ts';
import { mapBoxes, scaleBoxes, type DecodedImage } from '../image/input.ts';
import { crop, type RawImage } from '../image/raw-image.ts';
import type { PlateResponse, VinResponse } from '../schemas.ts';
import type { FrameRead } from './session.ts';
import type { RegionOfInterest } from './video-options.ts';

/** The ROI in whole pixels of a width × height frame (at least 1 × 1). */
export function roiRect(roi: RegionOfInterest, width: number, height: number) {
  const x = Math.min(width - 1, Math.max(0, Math.floor(roi.left * width)));
  const y = Math.min(height - 1, Math.max(0, Math.floor(roi.top * height)));
  const w = Math.max(1, Math.min(width - x, Math.ceil(roi.right * width) - x));
  const h = Math.max(1, Math.min(height - y, Math.ceil(roi.bottom * height) - y));
  return { x, y, w, h };
}

/** Every box ({xmin, ymin, xmax, ymax}) in a result moved by (dx, dy). */
export function offsetBoxes<T>(result: T, dx: number, dy: number): T {
  if (!dx && !dy) return result;
  return mapBoxes(result, (b) => ({ xmin: b.xmin + dx, ymin: b.ymin + dy, xmax: b.xmax + dx, ymax: b.ymax + dy }));
}

const round1 = (x: number) => Math.round(x * 10) / 10;

/** A plate call in video mode: 404 "no plates" → `{ success: true, results: [] }`. */
export async function platesOrEmpty(run: () => Promise<PlateResponse>): Promise<PlateResponse> {
  const t0 = performance.now();
  try {
    return await run();
  } catch (e) {
    if (e instanceof PlateLensError && e.code === 'NO_PLATE') return { success: true, results: [], processing_time: round1(performance.now() - t0) };
    throw e;
  }
}

/** A VIN call in video mode: "no VIN" / "no text" → null. */
export async function vinOrNull(run: () => Promise<VinResponse>): Promise<VinResponse | null> {
  try {
    return await run();
  } catch (e) {
    if (e instanceof PlateLensError && (e.code === 'NO_VIN' || e.code === 'NO_TEXT')) return null;
    throw e;
  }
}

/**
 * Runs `read` on the ROI of an already decoded frame (Node, or pixels sent to the worker);
 * boxes come back in source pixels (ROI offset, then the decode scale), with the area read.
 */
export async function readDecoded<R>(img: DecodedImage, roi: RegionOfInterest | undefined, read: (img: RawImage) => Promise<R>): Promise<FrameRead<R>> {
  const k = img.sourceScale ?? 1;
  if (!roi) return { result: scaleBoxes(await read(img), img.sourceScale), area: { x: 0, y: 0, width: img.width * k, height: img.height * k } };
  const r = roiRect(roi, img.width, img.height);
  const out = await read(crop(img, r.x, r.y, r.w, r.h));
  return { result: scaleBoxes(offsetBoxes(out, r.x, r.y), img.sourceScale), area: { x: r.x * k, y: r.y * k, width: r.w * k, height: r.h * k } };
}
