/**
 * Options of the video trackers, parsed once with zod when the tracker is created. They
 * extend the still-image call options (regions, mode, …), which are sent with every frame.
 */
import '../zod-jitless.ts'; // first: before any schema is built
import { z } from 'zod';
import { PlateCallOptionsSchema, VinCallOptionsSchema } from '../options.ts';

const unit = z.number().min(0).max(1);

/** A crop box in [0, 1] of the frame's width and height (MediaPipe's RectF). */
export const RegionOfInterestSchema = z
  .object({ left: unit, top: unit, right: unit, bottom: unit })
  .refine((r) => r.right > r.left && r.bottom > r.top, 'needs left < right and top < bottom');
export type RegionOfInterest = z.infer<typeof RegionOfInterestSchema>;

const trackOptions = {
  /** Frames closer together than 1000 / maxFps ms (by timestampMs) are skipped. Default: no cap. */
  maxFps: z.number().positive().max(240).optional(),
  /** Sightings over which a track's consensus must stay the same before it is confirmed. Default 3. */
  framesToConfirm: z.number().int().min(1).max(100).default(3),
  /** Newest sightings per track that vote. Default 10. */
  voteWindow: z.number().int().min(1).max(200).default(10),
  /** A track is never confirmed with a consensus score below this. Default 0.6. */
  minTrackConfidence: unit.default(0.6),
  /**
   * The confidence bar that confirms before `framesToConfirm`: plates, a consensus score this
   * high over 2 sightings; VINs, one reading this confident that passes the check digit. Default 0.9.
   */
  confirmScore: unit.default(0.9),
  /** Processed frames a track may go unseen before it ends. Default 5. */
  maxMissedFrames: z.number().int().min(0).max(1000).default(5),
  /** Read only this part of each frame (boxes still come back in frame pixels). */
  regionOfInterest: RegionOfInterestSchema.optional(),
};

/**
 * `mode` defaults to 'fast' here: one 320-px detector pass and no retries on empty frames
 * (video is mostly empty frames, where the default mode retries at two more sizes).
 */
export const PlateTrackerOptionsSchema = PlateCallOptionsSchema.extend({
  ...trackOptions,
  mode: z.enum(['default', 'fast']).default('fast'),
});
export type PlateTrackerOptions = z.input<typeof PlateTrackerOptionsSchema>;
export type ResolvedPlateTrackerOptions = z.output<typeof PlateTrackerOptionsSchema>;

export const VinTrackerOptionsSchema = VinCallOptionsSchema.extend(trackOptions);
export type VinTrackerOptions = z.input<typeof VinTrackerOptionsSchema>;
export type ResolvedVinTrackerOptions = z.output<typeof VinTrackerOptionsSchema>;

/** Reading candidates asked of each frame for the vote; per-frame results are cut back to `maxCandidates`. */
export const FRAME_CANDIDATES = 10;

/** The per-frame call options out of the tracker's options. */
export function plateFrameOptions(o: ResolvedPlateTrackerOptions) {
  return {
    regions: o.regions,
    thresholdDetection: o.thresholdDetection,
    thresholdOcr: o.thresholdOcr,
    mode: o.mode,
    textFormats: o.textFormats,
    maxCandidates: Math.max(o.maxCandidates ?? 5, FRAME_CANDIDATES),
  };
}

export function vinFrameOptions(o: ResolvedVinTrackerOptions) {
  return { detectorSize: o.detectorSize, maxCandidates: Math.max(o.maxCandidates ?? 5, FRAME_CANDIDATES) };
}
