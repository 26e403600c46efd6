/** Public types of the video API (plate and VIN trackers). */
import type { ImageInput } from '../api.ts';
import type { Box, PlateResponse, VinResponse } from '../schemas.ts';

/** A frame: any still-image input, or a WebCodecs VideoFrame (browser). */
export type FrameInput = ImageInput | VideoFrame;

export interface VotedChar {
  char: string;
  /** Summed per-frame score of `char` at this position / frames voting (0..1). */
  score: number;
  alts: { char: string; score: number }[];
}

export interface TrackBase {
  id: number;
  /** Box of the last sighting, in frame pixels. */
  box: Box;
  /** The per-character vote over the frames seen so far. */
  chars: VotedChar[];
  firstSeenMs: number;
  lastSeenMs: number;
  /** Frames this track was seen in. */
  frames: number;
  /** Processed frames since the last sighting (0: seen in this frame). */
  missedFrames: number;
  confirmed: boolean;
}

export interface PlateTrack extends TrackBase {
  /** Consensus plate, lower case as in CarsXE results. */
  plate: string;
  score: number;
  candidates: { plate: string; score: number }[];
  region?: { code: string; score: number };
}

export interface VinTrack extends TrackBase {
  vin: string;
  confidence: number;
  candidates: { vin: string; confidence: number }[];
  checkDigitValid: boolean;
}

export type TrackEventType = 'confirmed' | 'updated' | 'ended';

export interface TrackEvent<T> {
  /** confirmed: once per track; updated: a confirmed track's consensus changed; ended: a confirmed track is gone. */
  type: TrackEventType;
  track: T;
  timestampMs: number;
}

export interface FrameStats {
  /** Frames recognised. */
  processed: number;
  /** Frames replaced by a newer one while the recogniser was busy (latest frame wins). */
  dropped: number;
  /** Frames refused by the fps cap or without pixels yet (a video element still loading). */
  skipped: number;
  /** Frames waiting to run: 0 or 1. */
  pending: number;
  /** Frames recognised per second over the last 2 s. */
  fps: number;
  /** Duration of the last recognition, ms (transfer and decode included). */
  lastFrameMs: number;
}

export type FrameStatus = 'processed' | 'dropped' | 'skipped';

export interface TrackerUpdate<R, T> {
  timestampMs: number;
  status: FrameStatus;
  /** This frame's own result; null unless processed. */
  result: R | null;
  /** Live tracks after this frame (tentative and confirmed). */
  tracks: T[];
  events: TrackEvent<T>[];
  stats: FrameStats;
}

/** Per-frame plates: a CarsXE PlateResponse, `results: []` on frames without a plate. */
export type PlateTrackerUpdate = TrackerUpdate<PlateResponse, PlateTrack>;
/** Per-frame VIN: a CarsXE VinResponse, or null on frames without one. */
export type VinTrackerUpdate = TrackerUpdate<VinResponse | null, VinTrack>;

export interface VideoTracker<U extends TrackerUpdate<unknown, T>, T> {
  /**
   * Recognise one frame taken at `timestampMs` (increasing; default performance.now()). The
   * tracker owns VideoFrame and ImageBitmap frames from here on and closes them. Never throws
   * for a frame without a result; resolves 'dropped' when a newer frame replaced this one.
   */
  push(frame: FrameInput, timestampMs?: number): Promise<U>;
  readonly tracks: T[];
  readonly stats: FrameStats;
  /** Waits for the frame in flight, ends every track ('ended' events) and refuses further frames. */
  close(): Promise<TrackEvent<T>[]>;
}

export type PlateTracker = VideoTracker<PlateTrackerUpdate, PlateTrack>;
export type VinTracker = VideoTracker<VinTrackerUpdate, VinTrack>;
