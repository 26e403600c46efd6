/**
 * Alternative plate readings from per-character probabilities: the k most probable
 * strings when each position may take its best or one of its next-best characters
 * (best-first search over substitutions), scored as the geometric mean probability.
 */
import type { CtcChar } from '../text/ctc.ts';

export interface Reading {
  text: string;
  /** Geometric mean of the character probabilities, 0..1. */
  score: number;
}

const MIN_ALT = 0.01;

export function readingScore(probs: readonly number[]): number {
  if (!probs.length) return 0;
  let s = 0;
  for (const p of probs) s += Math.log(Math.max(p, 1e-9));
  return Math.exp(s / probs.length);
}

export function topReadings(chars: readonly CtcChar[], k: number): Reading[] {
  const base = chars.map((c) => c.prob);
  const text = chars.map((c) => c.char);
  const out: Reading[] = [{ text: text.join(''), score: readingScore(base) }];
  // every single and double substitution, ranked; enough for k ≤ 20 on plates
  const subs: { i: number; ch: string; p: number }[] = [];
  chars.forEach((c, i) => c.alts.forEach((a) => a.prob >= MIN_ALT && subs.push({ i, ch: a.char, p: a.prob })));
  const variants: Reading[] = [];
  for (let a = 0; a < subs.length; a++) {
    const one = [...base];
    one[subs[a].i] = subs[a].p;
    const t1 = [...text];
    t1[subs[a].i] = subs[a].ch;
    variants.push({ text: t1.join(''), score: readingScore(one) });
    for (let b = a + 1; b < subs.length; b++) {
      if (subs[b].i === subs[a].i) continue;
      const two = [...one];
      two[subs[b].i] = subs[b].p;
      const t2 = [...t1];
      t2[subs[b].i] = subs[b].ch;
      variants.push({ text: t2.join(''), score: readingScore(two) });
    }
  }
  variants.sort((x, y) => y.score - x.score);
  const seen = new Set([out[0].text]);
  for (const v of variants) {
    if (out.length >= k) break;
    if (!seen.has(v.text)) {
      seen.add(v.text);
      out.push(v);
    }
  }
  return out;
}
