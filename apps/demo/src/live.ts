/**
 * Camera mode: the video goes to a @platelens/core tracker (createPlateTracker / createVinTracker,
 * fed by watchVideo: latest frame wins, frames transferred to the worker), and what comes back
 * is handed on as one LiveFrame per recognised frame plus the tracks' confirmed/updated/ended
 * events (with a thumbnail cut from the video when a track is confirmed).
 */
import {
  watchVideo,
  type Box,
  type FrameStats,
  type PlateResponse,
  type PlateTrack,
  type PlateTrackerUpdate,
  type VideoRecognizer,
  type VinTrackerUpdate,
  type VinResponse,
  type VinTrack,
} from '@platelens/core';
import type { TrackRead } from './history.ts';
import type { Mode } from './state.ts';

export interface LiveTrack {
  id: number;
  box: Box;
  text: string;
  score: number;
  confirmed: boolean;
  missedFrames: number;
  frames: number;
  region?: { code: string; score: number };
}

export interface LiveFrame {
  mode: Mode;
  tracks: LiveTrack[];
  /** The frame's own result (plates: `results: []` when none; VIN: null when none). */
  result: PlateResponse | VinResponse | null;
  stats: FrameStats;
}

export interface LiveHandlers {
  onFrame(f: LiveFrame): void;
  onEvent(type: 'confirmed' | 'updated' | 'ended', read: TrackRead, thumb: string | null): void;
  onError(e: unknown): void;
}

export interface LiveOptions {
  mode: Mode;
  regions?: string[];
}

const isPlate = (t: PlateTrack | VinTrack): t is PlateTrack => 'plate' in t;

function readOf(t: PlateTrack | VinTrack): TrackRead {
  return isPlate(t)
    ? {
        id: t.id,
        kind: 'plate',
        text: t.plate.toUpperCase(),
        score: t.score,
        region: t.region,
        candidates: t.candidates.map((c) => ({ text: c.plate.toUpperCase(), score: c.score })),
        frames: t.frames,
      }
    : { id: t.id, kind: 'vin', text: t.vin, score: t.confidence, candidates: t.candidates.map((c) => ({ text: c.vin, score: c.confidence })), frames: t.frames };
}

function liveTrack(t: PlateTrack | VinTrack): LiveTrack {
  const r = readOf(t);
  return { id: t.id, box: t.box, text: r.text, score: r.score, confirmed: t.confirmed, missedFrames: t.missedFrames, frames: t.frames, region: r.region };
}

/** A small JPEG of the video around `box` (the plate with some of the car), for the history. */
export function thumbnail(video: HTMLVideoElement, box: Box): string {
  const w = box.xmax - box.xmin;
  const h = box.ymax - box.ymin;
  const sx = Math.max(0, box.xmin - w * 0.4);
  const sy = Math.max(0, box.ymin - h * 0.9);
  const sw = Math.min(video.videoWidth - sx, w * 1.8);
  const sh = Math.min(video.videoHeight - sy, h * 2.8);
  const c = document.createElement('canvas');
  c.width = 160;
  c.height = Math.max(1, Math.round((160 * sh) / Math.max(1, sw)));
  c.getContext('2d')?.drawImage(video, sx, sy, sw, sh, 0, 0, c.width, c.height);
  return c.toDataURL('image/jpeg', 0.8);
}

export function startLive(recognizer: VideoRecognizer, video: HTMLVideoElement, o: LiveOptions, h: LiveHandlers): { stop(): Promise<void> } {
  const emit = (events: readonly { type: 'confirmed' | 'updated' | 'ended'; track: PlateTrack | VinTrack }[]) => {
    for (const e of events) h.onEvent(e.type, readOf(e.track), e.type === 'confirmed' ? thumbnail(video, e.track.box) : null);
  };
  const onUpdate = (u: PlateTrackerUpdate | VinTrackerUpdate) => {
    if (u.status !== 'processed') return;
    emit(u.events);
    h.onFrame({ mode: o.mode, tracks: u.tracks.map(liveTrack), result: u.result, stats: u.stats });
  };
  // the trackers' defaults: the fast detector mode for plates (measured best for video), 3 stable frames to confirm
  let tracker: { close(): Promise<readonly { type: 'confirmed' | 'updated' | 'ended'; track: PlateTrack | VinTrack }[]> };
  let stopWatching: () => void;
  if (o.mode === 'vin') {
    const t = recognizer.createVinTracker();
    stopWatching = watchVideo(t, video, onUpdate, h.onError);
    tracker = t;
  } else {
    const t = recognizer.createPlateTracker({ regions: o.regions });
    stopWatching = watchVideo(t, video, onUpdate, h.onError);
    tracker = t;
  }
  return {
    async stop() {
      stopWatching();
      emit(await tracker.close());
    },
  };
}
