import { describe, expect, it } from 'vitest';
import { buildFolding, ctcGreedy, identityFolding, textOf } from '../../src/text/ctc.ts';

/** T×C probability matrix from per-frame {class: prob} maps (rest is spread on blank). */
function probs(C: number, frames: Record<number, number>[]): Float32Array {
  const out = new Float32Array(frames.length * C);
  frames.forEach((f, t) => {
    let used = 0;
    for (const [c, p] of Object.entries(f)) {
      out[t * C + Number(c)] = p;
      used += p;
    }
    out[t * C] += 1 - used;
  });
  return out;
}

describe('CTC greedy decoding', () => {
  const fold = identityFolding('AB1');
  it('collapses repeats and keeps doubled letters split by a blank', () => {
    // A A _ A B B → "AAB"
    const p = probs(4, [{ 1: 0.9 }, { 1: 0.8 }, {}, { 1: 0.7 }, { 2: 0.9 }, { 2: 0.6 }]);
    const chars = ctcGreedy(p, 6, 4, fold);
    expect(textOf(chars)).toBe('AAB');
    expect(chars[0].prob).toBeCloseTo(0.9);
    expect(chars[0].frame).toBe(0.5);
    expect(chars[2].frame).toBe(4.5);
  });

  it('reports next-best characters as alternatives', () => {
    const p = probs(4, [{ 2: 0.55, 3: 0.4 }]);
    const [c] = ctcGreedy(p, 1, 4, fold);
    expect(c.char).toBe('B');
    expect(c.alts[0]).toEqual({ char: '1', prob: expect.closeTo(0.4, 5) });
  });

  it('folds classes: lower case supports upper case, dropped classes renormalise', () => {
    // classes: blank, 'a', 'A', '字'
    const folding = buildFolding(['', 'a', 'A', '字'], (c) => (/^[a-z]$/i.test(c) ? c.toUpperCase() : null));
    expect(folding.symbols).toEqual(['', 'A']);
    const p = probs(4, [{ 1: 0.3, 2: 0.3, 3: 0.35 }]); // '字' would win unfolded
    const [c] = ctcGreedy(p, 1, 4, folding);
    expect(c.char).toBe('A');
    expect(c.prob).toBeCloseTo(0.6 / 0.65, 5);
  });

  it('reads a window at an offset (batched outputs)', () => {
    const a = probs(4, [{ 1: 0.9 }, {}]);
    const b = probs(4, [{ 3: 0.9 }, { 2: 0.9 }]);
    const both = new Float32Array([...a, ...b]);
    expect(textOf(ctcGreedy(both, 2, 4, fold, 8))).toBe('1B');
  });
});
