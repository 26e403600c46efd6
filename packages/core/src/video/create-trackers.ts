/**
 * The two tracker factories behind `recognizer.createPlateTracker()` / `createVinTracker()`:
 * parse the options once, then build a session over the entry point's frame reader (the
 * worker in the browser, the in-process pipeline in Node).
 */
import { parseOptions, type PlateCallOptions, type VinCallOptions } from '../options.ts';
import type { PlateResponse, VinResponse } from '../schemas.ts';
import { plateDetections, plateTrack, plateTrackerConfig } from './plate-tracks.ts';
import { createSession, NO_PIXELS, type FrameRead } from './session.ts';
import type { FrameInput, PlateTracker, VinTracker } from './types.ts';
import {
  plateFrameOptions,
  PlateTrackerOptionsSchema,
  vinFrameOptions,
  VinTrackerOptionsSchema,
  type PlateTrackerOptions,
  type RegionOfInterest,
  type VinTrackerOptions,
} from './video-options.ts';
import { vinDetections, vinTrack, vinTrackerConfig } from './vin-tracks.ts';

/**
 * How an entry point reads frames: plates answer `results: []` and VINs null when nothing is
 * found; NO_PIXELS for a frame that cannot be read yet.
 */
export interface FrameIO {
  readPlate(frame: FrameInput, options: PlateCallOptions, roi: RegionOfInterest | undefined): Promise<FrameRead<PlateResponse> | typeof NO_PIXELS>;
  readVin(frame: FrameInput, options: VinCallOptions, roi: RegionOfInterest | undefined): Promise<FrameRead<VinResponse | null> | typeof NO_PIXELS>;
  release(frame: FrameInput): void;
  assertOpen(task: 'plate' | 'vin'): void;
}

export function makePlateTracker(io: FrameIO, options?: PlateTrackerOptions): PlateTracker {
  const o = parseOptions(PlateTrackerOptionsSchema, options);
  io.assertOpen('plate');
  const call = plateFrameOptions(o);
  const k = o.maxCandidates ?? 5;
  return createSession({
    read: (f) => io.readPlate(f, call, o.regionOfInterest),
    release: io.release,
    detections: plateDetections,
    present: (r) => ({ ...r, results: r.results.map((p) => (p.candidates ? { ...p, candidates: p.candidates.slice(0, k) } : p)) }),
    snapshot: plateTrack,
    config: plateTrackerConfig(o),
    maxFps: o.maxFps,
    assertOpen: () => io.assertOpen('plate'),
  });
}

export function makeVinTracker(io: FrameIO, options?: VinTrackerOptions): VinTracker {
  const o = parseOptions(VinTrackerOptionsSchema, options);
  io.assertOpen('vin');
  const call = vinFrameOptions(o);
  const k = o.maxCandidates ?? 5;
  return createSession<VinResponse | null, unknown, ReturnType<typeof vinTrack>>({
    read: (f) => io.readVin(f, call, o.regionOfInterest),
    release: io.release,
    detections: vinDetections,
    present: (r) => (r ? { ...r, candidates: r.candidates.slice(0, k) } : r),
    snapshot: (t) => vinTrack(t, k),
    config: vinTrackerConfig(o),
    maxFps: o.maxFps,
    assertOpen: () => io.assertOpen('vin'),
  });
}
