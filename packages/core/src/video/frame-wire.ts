/**
 * Page side of a video frame on its way to the worker. VideoFrames and ImageBitmaps are
 * transferred as they are (the tracker owns them: no pixel copy on the main thread); a
 * <video> element becomes an ImageBitmap of its current frame (a GPU-side copy, the cheapest
 * the platform has); any other input goes the still-image way.
 */
import type { WireImage } from '../image/input.ts';
import { NO_PIXELS } from './session.ts';
import type { FrameInput } from './types.ts';

export type FrameWire = WireImage | { kind: 'videoframe'; frame: VideoFrame };

const has = (name: string) => typeof (globalThis as Record<string, unknown>)[name] === 'function';

export const isVideoFrame = (f: unknown): f is VideoFrame => has('VideoFrame') && f instanceof VideoFrame;

export async function frameWire(frame: FrameInput, stillWire: (input: never) => Promise<WireImage>): Promise<FrameWire | typeof NO_PIXELS> {
  if (isVideoFrame(frame)) return { kind: 'videoframe', frame };
  if (has('ImageBitmap') && frame instanceof ImageBitmap) return { kind: 'bitmap', bitmap: frame };
  if (has('HTMLVideoElement') && frame instanceof HTMLVideoElement) {
    // a camera that is still starting has no frame: skipped, not an error
    if (frame.readyState < 2 || frame.videoWidth === 0) return NO_PIXELS;
    return { kind: 'bitmap', bitmap: await createImageBitmap(frame) };
  }
  return stillWire(frame as never);
}

export function frameTransferables(w: FrameWire): Transferable[] {
  if (w.kind === 'videoframe') return [w.frame];
  if (w.kind === 'bitmap') return [w.bitmap];
  if (w.kind === 'bytes') return [w.bytes.buffer as ArrayBuffer];
  if (w.kind === 'pixels') return [w.data.buffer as ArrayBuffer];
  return [];
}

/** A frame that will not be read: VideoFrames and ImageBitmaps hold (GPU) memory until closed. */
export function releaseFrame(frame: FrameInput): void {
  if (isVideoFrame(frame) || (has('ImageBitmap') && frame instanceof ImageBitmap)) frame.close();
}
