/**
 * Camera mode: the video goes to a @platelens/core tracker (createPlateTracker / createVinTracker:
 * latest frame wins, frames transferred to the worker as ImageBitmaps), and what comes back
 * is handed on as one LiveFrame per recognised frame plus the tracks' confirmed/updated/ended
 * events (with a thumbnail cut from the video when a track is confirmed).
 */
import {
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

/**
 * Small copies of the last frames pushed, by timestamp: a confirmed track's thumbnail is cut
 * from the frame its box was seen in (the live video has moved on by then).
 */
class FrameRing {
  private frames: { ts: number; canvas: HTMLCanvasElement; k: number }[] = [];
  private readonly size: number;
  constructor(size = 8) {
    this.size = size;
  }
  keep(video: HTMLVideoElement, ts: number): void {
    const k = Math.min(1, 480 / Math.max(1, video.videoWidth));
    const reuse = this.frames.length >= this.size ? this.frames.shift()!.canvas : document.createElement('canvas');
    reuse.width = Math.max(1, Math.round(video.videoWidth * k));
    reuse.height = Math.max(1, Math.round(video.videoHeight * k));
    reuse.getContext('2d')?.drawImage(video, 0, 0, reuse.width, reuse.height);
    this.frames.push({ ts, canvas: reuse, k });
  }
  /** A small JPEG around `box` (the plate with some of the car) from the frame at `ts`. */
  thumbnail(ts: number, box: Box): string {
    const f = this.frames.find((x) => x.ts === ts) ?? this.frames[this.frames.length - 1];
    if (!f) return '';
    const w = (box.xmax - box.xmin) * f.k;
    const h = (box.ymax - box.ymin) * f.k;
    const sx = Math.max(0, box.xmin * f.k - w * 0.4);
    const sy = Math.max(0, box.ymin * f.k - h * 0.9);
    const sw = Math.min(f.canvas.width - sx, w * 1.8);
    const sh = Math.min(f.canvas.height - sy, h * 2.8);
    const c = document.createElement('canvas');
    c.width = 160;
    c.height = Math.max(1, Math.round((160 * sh) / Math.max(1, sw)));
    c.getContext('2d')?.drawImage(f.canvas, sx, sy, sw, sh, 0, 0, c.width, c.height);
    return c.toDataURL('image/jpeg', 0.8);
  }
}

type VideoWithFrameCallback = HTMLVideoElement & { requestVideoFrameCallback?: (cb: (now: number) => void) => number };

/**
 * Pushes each presented frame as an ImageBitmap taken at that moment (so the pixels, the
 * timestamp and the thumbnail ring agree); the tracker keeps at most one waiting and closes
 * the ones it drops.
 */
function pushFrames(video: HTMLVideoElement, ring: FrameRing, push: (frame: ImageBitmap, ts: number) => void): () => void {
  const v = video as VideoWithFrameCallback;
  let on = true;
  let last = -Infinity;
  const next = () => (typeof v.requestVideoFrameCallback === 'function' ? v.requestVideoFrameCallback(tick) : requestAnimationFrame(tick));
  function tick(now: number) {
    if (!on) return;
    next();
    if (video.readyState < 2 || video.videoWidth === 0) return;
    const ts = now > last ? now : last + 0.001;
    last = ts;
    ring.keep(video, ts);
    void createImageBitmap(video).then((bitmap) => (on ? push(bitmap, ts) : bitmap.close()));
  }
  next();
  return () => {
    on = false;
  };
}

export function startLive(recognizer: VideoRecognizer, video: HTMLVideoElement, o: LiveOptions, h: LiveHandlers): { stop(): Promise<void> } {
  const ring = new FrameRing();
  const emit = (events: readonly { type: 'confirmed' | 'updated' | 'ended'; track: PlateTrack | VinTrack }[]) => {
    for (const e of events) h.onEvent(e.type, readOf(e.track), e.type === 'confirmed' ? ring.thumbnail(e.track.lastSeenMs, e.track.box) : null);
  };
  const onUpdate = (u: PlateTrackerUpdate | VinTrackerUpdate) => {
    if (u.status !== 'processed') return;
    emit(u.events);
    h.onFrame({ mode: o.mode, tracks: u.tracks.map(liveTrack), result: u.result, stats: u.stats });
  };
  // the trackers' defaults: the fast detector mode for plates (measured best for video), 3 stable frames to confirm
  const tracker = o.mode === 'vin' ? recognizer.createVinTracker() : recognizer.createPlateTracker({ regions: o.regions });
  const push = (frame: ImageBitmap, ts: number) =>
    (tracker.push(frame, ts) as Promise<PlateTrackerUpdate | VinTrackerUpdate>).then(onUpdate, h.onError);
  const stopFrames = pushFrames(video, ring, push);
  return {
    async stop() {
      stopFrames();
      emit(await tracker.close());
    },
  };
}
