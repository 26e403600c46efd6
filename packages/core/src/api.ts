/** The public Recognizer contract, the same in the browser and in Node. */
import type { Backend } from './runtime/engine.ts';
import type { ProgressCallback } from './runtime/model-fetch.ts';
import type { CreateOptions, PlateCallOptions, VinCallOptions } from './options.ts';
import type { PlateResponse, VinResponse } from './schemas.ts';
import type { PlateTracker, VinTracker } from './video/types.ts';
import type { PlateTrackerOptions, VinTrackerOptions } from './video/video-options.ts';

/** Encoded bytes, pixels, or a string (URL, data URL, base64) — plus DOM sources in the browser. */
export type ImageInput =
  | Blob
  | ArrayBuffer
  | Uint8Array
  | ImageBitmap
  | ImageData
  | { data: Uint8ClampedArray | Uint8Array; width: number; height: number }
  | HTMLImageElement
  | HTMLCanvasElement
  | OffscreenCanvas
  | HTMLVideoElement
  /** An absolute URL object; the one way to pass a page-relative path: `new URL('/car.jpg', location.href)`. */
  | URL
  /** An absolute http(s):/blob: URL, a data URL or base64 (never a relative path: '/9j/…' is JPEG base64). */
  | string;

export interface RecognizerOptions extends CreateOptions {
  /** Model download/verify/session progress (for progress bars). */
  onProgress?: ProgressCallback;
}

export interface Recognizer {
  /** The backend actually in use: 'webgpu' | 'wasm' in browsers, 'cpu' on onnxruntime-node. */
  readonly backend: Backend;
  readVin(input: ImageInput, options?: VinCallOptions): Promise<VinResponse>;
  recognizePlate(input: ImageInput, options?: PlateCallOptions): Promise<PlateResponse>;
  /** Frees sessions (and the worker). Safe to call twice. */
  dispose(): Promise<void>;
}

/**
 * What createRecognizer() returns: the still-image calls plus video mode. A tracker takes
 * frames with their timestamps (`tracker.push(frame, timestampMs)`) and answers per-frame
 * results, plate/VIN tracks with a per-character vote, and confirmed/updated/ended events.
 * Frames without a result are results (`results: []` / null), never a 404.
 */
export interface VideoRecognizer extends Recognizer {
  createPlateTracker(options?: PlateTrackerOptions): PlateTracker;
  createVinTracker(options?: VinTrackerOptions): VinTracker;
}
