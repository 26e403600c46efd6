/**
 * Worker side of a video frame: the region of interest is cut by createImageBitmap (no
 * full-frame pixel readback), then the crop is decoded like any ImageBitmap. Boxes are
 * returned in frame pixels.
 */
import { browserDecoders } from '../image/decode-browser.ts';
import { materialize, scaleBoxes, type DecodeHints, type ImageLimits } from '../image/input.ts';
import type { RawImage } from '../image/raw-image.ts';
import { offsetBoxes, readDecoded, roiRect } from './frame-read.ts';
import type { FrameWire } from './frame-wire.ts';
import type { FrameRead } from './session.ts';
import type { RegionOfInterest } from './video-options.ts';

export async function readFrameInWorker<R>(
  wire: FrameWire,
  roi: RegionOfInterest | undefined,
  limits: ImageLimits,
  read: (img: RawImage) => Promise<R>,
  hints?: DecodeHints,
): Promise<FrameRead<R>> {
  if (wire.kind !== 'videoframe' && wire.kind !== 'bitmap') {
    return readDecoded(await materialize(wire, browserDecoders, limits), roi, read);
  }
  const source = wire.kind === 'videoframe' ? wire.frame : wire.bitmap;
  const width = wire.kind === 'videoframe' ? wire.frame.displayWidth : wire.bitmap.width;
  const height = wire.kind === 'videoframe' ? wire.frame.displayHeight : wire.bitmap.height;
  let bitmap: ImageBitmap;
  let area = { x: 0, y: 0, width, height };
  try {
    if (roi) {
      const r = roiRect(roi, width, height);
      bitmap = await createImageBitmap(source, r.x, r.y, r.w, r.h);
      area = { x: r.x, y: r.y, width: r.w, height: r.h };
    } else bitmap = wire.kind === 'bitmap' ? wire.bitmap : await createImageBitmap(source);
  } finally {
    // the source is ours (transferred): free it as soon as it has been cut
    if (wire.kind === 'videoframe') wire.frame.close();
    else if (roi) wire.bitmap.close();
  }
  // hints: the plate detector's preview is drawn while the bitmap is open (no JS resize of the frame)
  const img = await materialize({ kind: 'bitmap', bitmap }, browserDecoders, limits, hints);
  return { result: offsetBoxes(scaleBoxes(await read(img), img.sourceScale), area.x, area.y), area };
}
