/** The typed interface between the page (client.ts) and the worker (worker.ts). */
import type { WireImage } from '../image/input.ts';
import type { PlateCallOptions, ResolvedCreateOptions, VinCallOptions } from '../options.ts';
import type { PlateResponse, VinResponse } from '../schemas.ts';
import type { Backend } from './engine.ts';
import type { FrameWire } from '../video/frame-wire.ts';
import type { RegionOfInterest } from '../video/video-options.ts';
import type { FrameRead } from '../video/session.ts';
import type { ProgressCallback } from './model-fetch.ts';

export interface WorkerInit {
  options: ResolvedCreateOptions & { modelBaseUrl: string };
}

/** A result with the backend that produced it (WebGPU may have fallen back to WASM). */
export interface Answer<T> {
  result: T;
  backend: Backend;
}

export interface WorkerApi {
  init(init: WorkerInit, onProgress?: ProgressCallback): Promise<{ backend: Backend; tasks: string[] }>;
  readVin(image: WireImage, options?: VinCallOptions): Promise<Answer<VinResponse>>;
  recognizePlate(image: WireImage, options?: PlateCallOptions): Promise<Answer<PlateResponse>>;
  /** Video mode: a frame (VideoFrame/ImageBitmap transferred), nothing found = `results: []`, not a 404. */
  recognizePlateFrame(frame: FrameWire, options: PlateCallOptions, roi?: RegionOfInterest): Promise<Answer<FrameRead<PlateResponse>>>;
  /** Video mode: nothing found = null, not a 404. */
  readVinFrame(frame: FrameWire, options: VinCallOptions, roi?: RegionOfInterest): Promise<Answer<FrameRead<VinResponse | null>>>;
  backend(): Backend;
  dispose(): Promise<void>;
}
