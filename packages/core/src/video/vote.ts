/**
 * Per-character vote over the readings of one track. Each frame's reading is turned into a
 * score per character per position (the reader's own per-character probabilities when given,
 * else the scores of its candidates: a candidate that differs from the top reading at a
 * position is the reader's vote for that other character there). Scores are summed over the
 * frames position by position and divided by the number of frames, so a character read in 3
 * of 5 frames beats one read in 2, and a frame that was unsure counts for less.
 *
 * Readings of another length than the winning one (a dropped or doubled symbol, a plate cut
 * by the frame edge) are aligned to it by edit distance and vote only where they align; the
 * length itself is voted first, weighted by reading score, so one odd frame cannot change it.
 * A reading's `weight` scales all of its votes (the tracker gives cut plates a small one).
 */
import { readingScore, topReadings } from '../plate/candidates.ts';
import { alignPairs } from './align.ts';

export interface VoteReading {
  text: string;
  /** The frame's reading score, 0..1. */
  score: number;
  /** Other readings of the same frame with their scores (CarsXE `candidates`). */
  candidates?: readonly { text: string; score: number }[];
  /** How much this frame counts (default 1); a plate cut by the frame edge counts less. */
  weight?: number;
  /** Per-character probabilities, when the reader exposes them (preferred over candidates). */
  chars?: readonly { char: string; prob: number; alts?: readonly { char: string; prob: number }[] }[];
}

export interface PositionVote {
  char: string;
  /** Summed score of `char` at this position / number of frames voting. */
  score: number;
  /** Runner-up characters here, best first. */
  alts: { char: string; score: number }[];
}

export interface Consensus {
  text: string;
  /** Geometric mean of the winning per-position scores (as a single reading's score). */
  score: number;
  chars: PositionVote[];
  /** The likeliest full readings under the vote, best first (the first is `text`). */
  candidates: { text: string; score: number }[];
  /** Frames in the vote whose own top reading equals `text`. */
  agreeing: number;
  /** Frames in the vote. */
  frames: number;
}

type Dist = Map<string, number>;

/** One frame's reading → a score per character at each of its positions. */
export function positionScores(r: VoteReading): Dist[] {
  const L = r.text.length;
  if (r.chars && r.chars.length === L) {
    return r.chars.map((c) => {
      const m: Dist = new Map([[c.char, c.prob]]);
      for (const a of c.alts ?? []) if (!m.has(a.char)) m.set(a.char, a.prob);
      return normalised(m);
    });
  }
  const out: Dist[] = Array.from({ length: L }, (_, i) => new Map([[r.text[i], r.score]]));
  for (const c of r.candidates ?? []) {
    // only substitution variants speak for single characters: a candidate differing in many
    // places is another hypothesis altogether (a VIN window shifted along a longer line)
    if (c.text.length !== L || c.text === r.text || hamming(c.text, r.text) > MAX_VARIANT_SUBSTITUTIONS) continue;
    for (let i = 0; i < L; i++) {
      const ch = c.text[i];
      if (ch === r.text[i]) continue;
      out[i].set(ch, Math.max(out[i].get(ch) ?? 0, c.score));
    }
  }
  return out.map(normalised);
}

/** The reader's candidates are its top reading with one or two characters swapped (plate/candidates.ts). */
const MAX_VARIANT_SUBSTITUTIONS = 2;

function hamming(a: string, b: string): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) d++;
  return d;
}

/** Scores above 1 in total are scaled down to 1 (they are shares of one position). */
function normalised(m: Dist): Dist {
  let s = 0;
  for (const v of m.values()) s += v;
  if (s <= 1) return m;
  for (const [k, v] of m) m.set(k, v / s);
  return m;
}

function add(into: Dist, from: Dist, w: number): void {
  for (const [k, v] of from) into.set(k, (into.get(k) ?? 0) + v * w);
}

const weightOf = (r: VoteReading) => r.weight ?? 1;

const argmax = (m: Dist): [string, number] => {
  let best: [string, number] = ['', -1];
  for (const e of m) if (e[1] > best[1]) best = e;
  return best;
};

/** The vote over `readings` (oldest first); null when there are none. */
export function voteReadings(readings: readonly VoteReading[], maxCandidates = 5): Consensus | null {
  const rs = readings.filter((r) => r.text.length > 0);
  if (!rs.length) return null;
  // 1. the length: summed reading score per length; a tie goes to the most recent reading's length
  const byLength = new Map<number, number>();
  for (const r of rs) byLength.set(r.text.length, (byLength.get(r.text.length) ?? 0) + r.score * weightOf(r));
  let L = rs[rs.length - 1].text.length;
  for (const [len, w] of byLength) if (w > byLength.get(L)! + 1e-9) L = len;
  // 2. readings of that length vote position by position
  const acc: Dist[] = Array.from({ length: L }, () => new Map());
  for (const r of rs) if (r.text.length === L) positionScores(r).forEach((d, i) => add(acc[i], d, weightOf(r)));
  // 3. the others, aligned to the provisional consensus, vote where they align
  const provisional = acc.map((d) => argmax(d)[0]).join('');
  for (const r of rs) {
    if (r.text.length === L) continue;
    const d = positionScores(r);
    for (const [j, i] of alignPairs(r.text, provisional)) add(acc[i], d[j], weightOf(r));
  }
  const n = rs.reduce((sum, r) => sum + weightOf(r), 0);
  const chars: PositionVote[] = acc.map((d) => {
    const sorted = [...d].sort((a, b) => b[1] - a[1]);
    return {
      char: sorted[0][0],
      score: Math.min(1, sorted[0][1] / n),
      alts: sorted.slice(1).map(([char, s]) => ({ char, score: Math.min(1, s / n) })),
    };
  });
  const text = chars.map((c) => c.char).join('');
  const ctc = chars.map((c, i) => ({ char: c.char, prob: c.score, alts: c.alts.map((a) => ({ char: a.char, prob: a.score })), frame: i }));
  const candidates = topReadings(ctc, maxCandidates).map((r) => ({ text: r.text, score: r.score }));
  return {
    text,
    score: readingScore(chars.map((c) => c.score)),
    chars,
    candidates,
    agreeing: rs.filter((r) => r.text === text).length,
    frames: rs.length,
  };
}
