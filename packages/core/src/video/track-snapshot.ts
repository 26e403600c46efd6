/** The fields every track snapshot shares (plates and VINs), from the tracker's own track. */
import type { Track } from './tracker.ts';
import type { TrackBase } from './types.ts';

export const r3 = (x: number) => Math.round(x * 1000) / 1000;

export function trackBase<E>(t: Track<E>): TrackBase {
  return {
    id: t.id,
    box: { ...t.box },
    chars: t.consensus.chars.map((p) => ({ char: p.char, score: r3(p.score), alts: p.alts.slice(0, 3).map((a) => ({ char: a.char, score: r3(a.score) })) })),
    firstSeenMs: t.firstSeenMs,
    lastSeenMs: t.lastSeenMs,
    frames: t.frames,
    missedFrames: t.missed,
    confirmed: t.confirmed,
  };
}
