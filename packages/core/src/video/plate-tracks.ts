/** Plates on the tracker: CarsXE plate results → detections, tracks → PlateTrack snapshots. */
import type { PlateResponse } from '../schemas.ts';
import type { Detection, Track, TrackerConfig } from './tracker.ts';
import { r3, trackBase } from './track-snapshot.ts';
import type { PlateTrack } from './types.ts';
import type { ResolvedPlateTrackerOptions } from './video-options.ts';

export type PlateExtra = { region?: { code: string; score: number } };

export function plateDetections(r: PlateResponse): Detection<PlateExtra>[] {
  return r.results.map((p) => ({
    box: p.box,
    reading: { text: p.plate, score: p.score, candidates: (p.candidates ?? []).map((c) => ({ text: c.plate, score: c.score })) },
    extra: { region: p.region },
  }));
}

export function plateTrackerConfig(o: ResolvedPlateTrackerOptions): TrackerConfig<PlateExtra> {
  return {
    voteWindow: o.voteWindow,
    framesToConfirm: o.framesToConfirm,
    minTrackConfidence: o.minTrackConfidence,
    maxMissedFrames: o.maxMissedFrames,
    maxCandidates: o.maxCandidates ?? 5,
    // a confidence bar: two sightings are still needed (one confident misread is common)
    confirmEarly: (t) => t.frames >= 2 && t.consensus.score >= o.confirmScore,
  };
}

/** Region by vote: the code with the most summed score over the window, scored per sighting. */
function votedRegion(t: Track<PlateExtra>): PlateTrack['region'] {
  const sums = new Map<string, number>();
  for (const s of t.sightings) {
    const r = s.extra?.region;
    if (r) sums.set(r.code, (sums.get(r.code) ?? 0) + r.score);
  }
  let best: PlateTrack['region'];
  for (const [code, sum] of sums) {
    const score = Math.round((sum / t.sightings.length) * 1000) / 1000;
    if (!best || score > best.score) best = { code, score };
  }
  return best;
}

export function plateTrack(t: Track<PlateExtra>): PlateTrack {
  const c = t.consensus;
  const region = votedRegion(t);
  return {
    ...trackBase(t),
    plate: c.text,
    score: r3(c.score),
    candidates: c.candidates.map((x) => ({ plate: x.text, score: r3(x.score) })),
    ...(region ? { region } : {}),
  };
}
