/**
 * VINs on the tracker: one detection per frame (the pipeline's answer), voted per character
 * like plates. The track's VIN is the likeliest reading under the vote that passes the check
 * digit (49 CFR 565), else the top one — as the still-image pipeline ranks its candidates.
 */
import type { VinResponse } from '../schemas.ts';
import { isCheckDigitValid } from '../vin/check-digit.ts';
import type { Detection, Track, TrackerConfig } from './tracker.ts';
import { r3, trackBase } from './track-snapshot.ts';
import type { VinTrack } from './types.ts';
import type { ResolvedVinTrackerOptions } from './video-options.ts';

export function vinDetections(r: VinResponse | null): Detection[] {
  if (!r || !r.success || !r.vin) return [];
  return [
    {
      box: r.box,
      reading: {
        text: r.vin,
        score: r.confidence,
        candidates: r.candidates.filter((c) => c.vin !== r.vin).map((c) => ({ text: c.vin, score: c.confidence })),
      },
    },
  ];
}

export function vinTrackerConfig(o: ResolvedVinTrackerOptions): TrackerConfig<unknown> {
  return {
    voteWindow: o.voteWindow,
    framesToConfirm: o.framesToConfirm,
    minTrackConfidence: o.minTrackConfidence,
    maxMissedFrames: o.maxMissedFrames,
    // the check-digit preference needs alternatives to choose from
    maxCandidates: Math.max(o.maxCandidates ?? 5, 10),
    // one frame suffices when its reading passes the check digit with high confidence
    confirmEarly: (_t, latest) => latest.reading.score >= o.confirmScore && isCheckDigitValid(latest.reading.text),
  };
}

export function vinTrack(t: Track<unknown>, maxCandidates = 5): VinTrack {
  const c = t.consensus;
  const valid = c.candidates.filter((x) => x.text.length === 17 && isCheckDigitValid(x.text));
  // a confident single reading that passes the check digit wins over a vote that does not
  const latest = t.sightings[t.sightings.length - 1].reading;
  const pick =
    valid[0] ??
    (isCheckDigitValid(latest.text) && latest.text.length === 17 ? { text: latest.text, score: latest.score } : c.candidates[0]);
  const ordered = [pick, ...c.candidates.filter((x) => x.text !== pick.text)];
  return {
    ...trackBase(t),
    vin: pick.text,
    confidence: r3(pick.score),
    candidates: ordered.slice(0, maxCandidates).map((x) => ({ vin: x.text, confidence: r3(x.score) })),
    checkDigitValid: pick.text.length === 17 && isCheckDigitValid(pick.text),
  };
}
