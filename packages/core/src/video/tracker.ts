/**
 * Multi-object tracker over per-frame readings (plates or VINs): pure code, no model.
 * Each frame's detections are matched to the live tracks by box overlap with the track's
 * predicted position (constant velocity) and by reading similarity, greedily best pair first;
 * the reading term is what keeps two plates apart when they cross. A track survives
 * `maxMissedFrames` frames without a match (occlusion, a missed detection), then ends.
 *
 * Every match adds the frame's reading to the track's vote window (vote.ts). A track is
 * confirmed once its consensus has stayed the same over `framesToConfirm` of its frames with
 * a score of at least `minTrackConfidence`, or earlier when the policy's `confirmEarly` says
 * so (plates: a high consensus score; VINs: a check-digit-valid, confident reading) — but
 * never on a sighting cut by the frame edge: a car entering the view shows half its plate,
 * read confidently as a shorter plate.
 * Events: 'confirmed' once per track, 'updated' when a confirmed consensus changes, 'ended'
 * when a confirmed track is gone (tentative tracks that never confirmed end silently).
 */
import type { Box } from '../schemas.ts';
import { readingSimilarity } from './align.ts';
import { area, centreDistance, iou, nextVelocity, predict, type Velocity } from './boxes.ts';
import { voteReadings, type Consensus, type VoteReading } from './vote.ts';

export interface Detection<E = unknown> {
  box: Box;
  reading: VoteReading;
  /** At the edge of the area read: possibly cut. It votes (with a small weight) but never confirms. */
  partial?: boolean;
  /** Per-task data carried with the sighting (a plate's region, …). */
  extra?: E;
}

export interface Sighting<E> extends Detection<E> {
  timestampMs: number;
}

export interface TrackerConfig<E> {
  /** Sightings kept for the vote (the newest ones). */
  voteWindow: number;
  framesToConfirm: number;
  minTrackConfidence: number;
  maxMissedFrames: number;
  maxCandidates: number;
  /** A policy's shortcut to confirmation, checked after each sighting. */
  confirmEarly?: (track: Track<E>, latest: Sighting<E>) => boolean;
}

export interface Track<E> {
  id: number;
  /** Box of the last sighting. */
  box: Box;
  velocity: Velocity | null;
  firstSeenMs: number;
  lastSeenMs: number;
  /** Frames the track was seen in (all of them, not only the vote window). */
  frames: number;
  /** Consecutive processed frames without a sighting. */
  missed: number;
  confirmed: boolean;
  /** Consecutive sightings after which the consensus text stayed the same. */
  stable: number;
  sightings: Sighting<E>[];
  consensus: Consensus;
}

export type TrackEventType = 'confirmed' | 'updated' | 'ended';

export interface TrackerStep<E> {
  /** Live tracks, tentative and confirmed, oldest first. */
  tracks: Track<E>[];
  events: { type: TrackEventType; track: Track<E> }[];
}

export class Tracker<E = unknown> {
  private tracks: Track<E>[] = [];
  private nextId = 1;
  private lastMs = -Infinity;
  private readonly cfg: TrackerConfig<E>;

  constructor(config: TrackerConfig<E>) {
    this.cfg = config;
  }

  /** Live tracks as of the last update. */
  get live(): readonly Track<E>[] {
    return this.tracks;
  }

  /** One processed frame: its detections (possibly none) at `timestampMs`. */
  update(detections: readonly Detection<E>[], timestampMs: number): TrackerStep<E> {
    this.lastMs = timestampMs;
    const events: TrackerStep<E>['events'] = [];
    const pairs: { t: number; d: number; a: number }[] = [];
    this.tracks.forEach((track, t) => {
      detections.forEach((det, d) => {
        const a = this.affinity(track, det, timestampMs);
        if (a > 0) pairs.push({ t, d, a });
      });
    });
    pairs.sort((x, y) => y.a - x.a);
    const usedT = new Set<number>();
    const usedD = new Set<number>();
    for (const p of pairs) {
      if (usedT.has(p.t) || usedD.has(p.d)) continue;
      usedT.add(p.t);
      usedD.add(p.d);
      this.observe(this.tracks[p.t], detections[p.d], timestampMs, events);
    }
    const kept: Track<E>[] = [];
    this.tracks.forEach((track, t) => {
      if (usedT.has(t)) return kept.push(track);
      track.missed++;
      if (track.missed <= this.cfg.maxMissedFrames) return kept.push(track);
      if (track.confirmed) events.push({ type: 'ended', track });
    });
    this.tracks = kept;
    detections.forEach((det, d) => {
      if (usedD.has(d)) return;
      const track = this.start(det, timestampMs);
      this.tracks.push(track);
      this.judge(track, null, this.at(det, timestampMs), events);
    });
    return { tracks: [...this.tracks], events };
  }

  /** Ends every live track (the stream stopped): 'ended' for the confirmed ones. */
  flush(): TrackerStep<E> {
    const events = this.tracks.filter((t) => t.confirmed).map((track) => ({ type: 'ended' as const, track }));
    this.tracks = [];
    return { tracks: [], events };
  }

  get lastTimestampMs(): number {
    return this.lastMs;
  }

  /**
   * How well a detection continues a track; 0 = cannot. Gates: the box is near where the
   * track is predicted (overlap, or within ~1.5 plate widths, wider after misses and for
   * the same reading), of a
   * similar size, and either reads alike or overlaps strongly (a reading can be garbled
   * for a frame; a plate cannot jump).
   */
  private affinity(track: Track<E>, det: Detection<E>, ms: number): number {
    const p = track.velocity ? predict(track.box, track.velocity, track.lastSeenMs, ms) : track.box;
    const ov = iou(p, det.box);
    const dist = centreDistance(p, det.box);
    const sizes = [area(p), area(det.box)].sort((a, b) => a - b);
    if (sizes[1] > 0 && sizes[0] / sizes[1] < 0.25) return 0;
    const sim = readingSimilarity(det.reading.text, track.consensus.text);
    // a plate that reads the same may have moved further: at a few frames per second a passing
    // car moves more than a plate width between frames, before any velocity is known
    const reach = 1.5 * (1 + 0.5 * track.missed) * (sim >= 0.75 ? 2.5 : 1);
    if (ov < 0.05 && dist > reach) return 0;
    if (sim < 0.35 && ov < 0.5) return 0;
    return ov + 0.8 * sim + 0.3 * Math.max(0, 1 - dist / reach) + 1e-6;
  }

  private at(det: Detection<E>, ms: number): Sighting<E> {
    return { ...det, timestampMs: ms };
  }

  private start(det: Detection<E>, ms: number): Track<E> {
    const s = this.at(det, ms);
    return {
      id: this.nextId++,
      box: det.box,
      velocity: null,
      firstSeenMs: ms,
      lastSeenMs: ms,
      frames: 1,
      missed: 0,
      confirmed: false,
      stable: 1,
      sightings: [s],
      consensus: voteReadings([det.reading], this.cfg.maxCandidates)!,
    };
  }

  private observe(track: Track<E>, det: Detection<E>, ms: number, events: TrackerStep<E>['events']): void {
    const s = this.at(det, ms);
    track.velocity = nextVelocity(track.velocity, track.box, det.box, ms - track.lastSeenMs);
    track.box = det.box;
    track.lastSeenMs = ms;
    track.frames++;
    track.missed = 0;
    track.sightings.push(s);
    if (track.sightings.length > this.cfg.voteWindow) track.sightings.shift();
    const before = track.consensus.text;
    track.consensus = voteReadings(
      track.sightings.map((x) => x.reading),
      this.cfg.maxCandidates,
    )!;
    track.stable = track.consensus.text === before ? track.stable + 1 : 1;
    this.judge(track, before, s, events);
  }

  private judge(track: Track<E>, before: string | null, latest: Sighting<E>, events: TrackerStep<E>['events']): void {
    const c = this.cfg;
    if (track.confirmed) {
      if (before !== null && track.consensus.text !== before) events.push({ type: 'updated', track });
      return;
    }
    if (track.consensus.score < c.minTrackConfidence || latest.partial) return;
    if (track.stable >= c.framesToConfirm || c.confirmEarly?.(track, latest)) {
      track.confirmed = true;
      events.push({ type: 'confirmed', track });
    }
  }
}
