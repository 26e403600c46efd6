/**
 * One tracker session, the same in the browser and in Node: the fps cap, latest-frame-wins
 * scheduling (scheduler.ts), the frame reader (worker or in-process) and the tracker, wired
 * one way: frame → reader → per-frame result → detections → tracker → update.
 */
import { errors } from '../errors.ts';
import { touchesEdge, type Area } from './boxes.ts';
import { LatestFrameScheduler, RateMeter } from './scheduler.ts';
import { Tracker, type Detection, type Track, type TrackerConfig } from './tracker.ts';
import type { FrameInput, FrameStats, TrackEvent, TrackerUpdate, VideoTracker } from './types.ts';

/** What a reader answers for a frame without pixels yet (a video element still loading): counted as skipped. */
export const NO_PIXELS = Symbol('no pixels');

/** A frame's result and the part of the frame that was read (its ROI), in frame pixels. */
export interface FrameRead<R> {
  result: R;
  area: Area;
}

/** Sightings at the edge of the area read vote with this weight (their plate may be cut). */
export const PARTIAL_WEIGHT = 0.25;

export interface SessionParts<R, E, T> {
  /** Recognises one frame. Never rejects for "nothing found": that is an (empty) result. */
  read(frame: FrameInput): Promise<FrameRead<R> | typeof NO_PIXELS>;
  /** Frees a frame that will not be read (VideoFrame / ImageBitmap close()). */
  release(frame: FrameInput): void;
  detections(result: R): Detection<E>[];
  /** The frame's result as the caller sees it (the vote may have asked the reader for more candidates). */
  present?: (result: R) => R;
  snapshot(track: Track<E>): T;
  config: TrackerConfig<E>;
  maxFps?: number;
  /** Throws when the recognizer is gone (disposed). */
  assertOpen(): void;
  now?: () => number;
}

function markPartial<E>(d: Detection<E>, area: Area): Detection<E> {
  if (!touchesEdge(d.box, area)) return d;
  return { ...d, partial: true, reading: { ...d.reading, weight: PARTIAL_WEIGHT } };
}

export function createSession<R, E, T>(p: SessionParts<R, E, T>): VideoTracker<TrackerUpdate<R, T>, T> {
  const now = p.now ?? (() => performance.now());
  const tracker = new Tracker<E>(p.config);
  const meter = new RateMeter();
  const counts = { processed: 0, dropped: 0, skipped: 0, lastFrameMs: 0 };
  let lastPushed = -Infinity;
  let lastAccepted = -Infinity;
  let closed = false;
  const minGap = p.maxFps ? 1000 / p.maxFps : 0;

  const scheduler = new LatestFrameScheduler<{ frame: FrameInput; ts: number }, { read: FrameRead<R> | typeof NO_PIXELS; ms: number }>(
    async ({ frame }) => {
      const t0 = now();
      const read = await p.read(frame);
      return { read, ms: now() - t0 };
    },
    ({ frame }) => p.release(frame),
  );

  const stats = (): FrameStats => ({
    ...counts,
    pending: scheduler.pending,
    fps: Math.round(meter.rate(now()) * 10) / 10,
    lastFrameMs: Math.round(counts.lastFrameMs * 10) / 10,
  });
  const tracks = () => tracker.live.map(p.snapshot);
  const update = (ts: number, status: TrackerUpdate<R, T>['status'], result: R | null, events: TrackEvent<T>[] = []) => ({
    timestampMs: ts,
    status,
    result,
    tracks: tracks(),
    events,
    stats: stats(),
  });

  return {
    async push(frame, timestampMs) {
      const ts = timestampMs ?? now();
      if (closed) {
        p.release(frame);
        throw errors.invalidOptions('the tracker was closed: create a new one with createPlateTracker() / createVinTracker()');
      }
      try {
        p.assertOpen();
      } catch (e) {
        p.release(frame);
        throw e;
      }
      if (!Number.isFinite(ts) || ts <= lastPushed) {
        p.release(frame);
        throw errors.invalidOptions(`timestampMs must increase from frame to frame (got ${ts} after ${lastPushed}): pass the frame's capture time`);
      }
      lastPushed = ts;
      if (ts - lastAccepted < minGap) {
        p.release(frame);
        counts.skipped++;
        return update(ts, 'skipped', null);
      }
      lastAccepted = ts;
      const s = await scheduler.submit({ frame, ts });
      if (s.dropped) {
        counts.dropped++;
        return update(ts, 'dropped', null);
      }
      const { read, ms } = s.value;
      if (read === NO_PIXELS) {
        counts.skipped++;
        return update(ts, 'skipped', null);
      }
      counts.processed++;
      counts.lastFrameMs = ms;
      meter.tick(now());
      // frames finish in the order they started (one at a time), so the tracker sees time move forward
      const dets = closed ? [] : p.detections(read.result).map((d) => markPartial(d, read.area));
      const step = tracker.update(dets, ts);
      return update(
        ts,
        'processed',
        p.present ? p.present(read.result) : read.result,
        step.events.map((e) => ({ type: e.type, track: p.snapshot(e.track), timestampMs: ts })),
      );
    },
    get tracks() {
      return tracks();
    },
    get stats() {
      return stats();
    },
    async close() {
      if (closed) return [];
      closed = true;
      await scheduler.drain();
      const ts = Number.isFinite(tracker.lastTimestampMs) ? tracker.lastTimestampMs : now();
      return tracker.flush().events.map((e) => ({ type: e.type, track: p.snapshot(e.track), timestampMs: ts }));
    },
  };
}
