import { describe, expect, it } from 'vitest';
import { iou, nms } from '../../src/plate/nms.ts';
import { letterbox, unletterbox } from '../../src/plate/letterbox.ts';
import { decodeDetections } from '../../src/plate/decode-detections.ts';
import { topReadings } from '../../src/plate/candidates.ts';
import { colourMarks, hintMatches, inferRegion } from '../../src/plate/regions.ts';
import { chooseReading, dropWords, isVerifiedWeak, likelierLayout, sureOneRow } from '../../src/plate/recognize-plate.ts';
import { createImage } from '../../src/image/raw-image.ts';
import { FloatPool } from '../../src/image/float-pool.ts';
import { parseOptions, PlateCallOptionsSchema } from '../../src/options.ts';
import type { CtcChar } from '../../src/text/ctc.ts';

const box = (xmin: number, ymin: number, xmax: number, ymax: number) => ({ xmin, ymin, xmax, ymax });

describe('NMS', () => {
  it('computes IoU', () => {
    expect(iou(box(0, 0, 10, 10), box(5, 0, 15, 10))).toBeCloseTo(50 / 150);
    expect(iou(box(0, 0, 10, 10), box(20, 20, 30, 30))).toBe(0);
  });

  it('keeps the best of overlapping boxes and separate plates', () => {
    const kept = nms(
      [
        { box: box(0, 0, 100, 50), score: 0.8 },
        { box: box(5, 2, 104, 52), score: 0.9 },
        { box: box(300, 0, 400, 50), score: 0.7 },
      ],
      0.45,
    );
    expect(kept.map((k) => k.score)).toEqual([0.9, 0.7]);
  });
});

describe('letterbox', () => {
  it('scales the long side, pads to multiples of 32 and maps boxes back', () => {
    const img = createImage(1280, 720);
    const lb = letterbox(img, 640);
    expect([lb.width, lb.height, lb.scale]).toEqual([640, 384, 0.5]);
    // padding rows carry the pad value
    expect(lb.data[383 * 640]).toBeCloseTo(114 / 255);
    expect(unletterbox(box(100, 50, 150, 75), lb, 1280, 720)).toEqual(box(200, 100, 300, 150));
    expect(unletterbox(box(600, 350, 700, 400), lb, 1280, 720)).toEqual(box(1200, 700, 1280, 720));
  });

  it('writes every element of a reused buffer: a pooled input equals a fresh one', () => {
    // 300×170 → 512×290 in a 512×320 tensor (padding rows), pixels not one flat colour
    const img = createImage(300, 170);
    for (let i = 0; i < img.data.length; i++) img.data[i] = (i * 37) % 256;
    const fresh = letterbox(img, 512);
    const pool = new FloatPool();
    const dirty = pool.take(fresh.data.length).fill(Number.NaN);
    pool.give(dirty);
    const reused = letterbox(img, 512, 114, 32, (n) => pool.take(n));
    expect(reused.data).toBe(dirty);
    expect(Array.from(reused.data)).toEqual(Array.from(fresh.data));
    // a taken buffer is not handed out again until given back
    expect(pool.take(fresh.data.length)).not.toBe(dirty);
  });
});

describe('detector decoding', () => {
  it('takes 3×3 peaks above the threshold and builds ltrb boxes in input pixels', () => {
    const W = 4, H = 3, stride = 8;
    const heat = new Float32Array(W * H);
    heat[1 * W + 1] = 0.9; // peak
    heat[1 * W + 2] = 0.6; // neighbour, not a peak
    heat[0 * W + 3] = 0.2; // below threshold
    const ltrb = new Float32Array(4 * W * H);
    const k = 1 * W + 1;
    [10, 4, 12, 6].forEach((v, c) => (ltrb[c * W * H + k] = v));
    const out = decodeDetections({ heat, ltrb, width: W, height: H, stride }, 0.3);
    expect(out).toEqual([{ score: expect.closeTo(0.9, 5), box: box(12 - 10, 12 - 4, 12 + 12, 12 + 6) }]);
  });
});

const ch = (char: string, prob: number, alts: [string, number][] = []): CtcChar => ({
  char,
  prob,
  alts: alts.map(([c, p]) => ({ char: c, prob: p })),
  frame: 0,
});

describe('plate candidates', () => {
  it('ranks alternative readings from per-character probabilities', () => {
    const r = topReadings([ch('A', 0.9), ch('B', 0.6, [['8', 0.35]]), ch('0', 0.7, [['O', 0.25]])], 4);
    expect(r.map((x) => x.text)).toEqual(['AB0', 'A80', 'ABO', 'A8O']);
    expect(r[0].score).toBeCloseTo(Math.cbrt(0.9 * 0.6 * 0.7), 6);
    expect(r[1].score).toBeGreaterThan(r[2].score);
  });

  it('textFormats keep only matching readings; region hints re-rank', () => {
    const readings = [
      { text: 'ABC1234', score: 0.8 },
      { text: 'ABC1D34', score: 0.75 },
    ];
    expect(chooseReading(readings, { textFormats: ['^[a-z]{3}[0-9][a-z][0-9]{2}$'] })?.best.text).toBe('ABC1D34');
    expect(chooseReading(readings, { textFormats: ['^[0-9]+$'] })).toBeNull();
    expect(chooseReading([{ text: '8ABC123', score: 0.8 }, { text: 'BABC123', score: 0.75 }], { regions: ['us-ca'] })?.best.text).toBe(
      '8ABC123',
    );
    expect(chooseReading([{ text: 'BABC123', score: 0.8 }, { text: '8ABC123', score: 0.7 }], { regions: ['us-ca'] })?.best.text).toBe(
      '8ABC123',
    );
  });
});

describe('regions', () => {
  it('infers regions from formats and omits them without support', () => {
    expect(inferRegion('ABC1D23', null)?.code).toBe('br');
    expect(inferRegion('7ABC123', { euBand: false, topBand: false })?.code).toBe('us-ca');
    expect(inferRegion('B123ABC', null)?.code).toBe('ro');
    expect(inferRegion('AB12CDE', null)?.code).toBe('gb');
    expect(inferRegion('Q', null)).toBeUndefined();
    expect(inferRegion('XYZ', null)?.code).toBe('us'); // the catch-all: likeliest a US vanity plate
  });

  it('uses the EU blue band and region hints', () => {
    expect(inferRegion('XYZ', { euBand: true, topBand: false })?.code).toBe('eu');
    expect(inferRegion('7ABC123', { euBand: true, topBand: false })?.code).toBe('be');
    expect(inferRegion('B123ABC', { euBand: true, topBand: false })?.code).toBe('ro');
    expect(inferRegion('ABC1234', null, ['br'])?.code).toBe('br');
    expect(hintMatches('us', 'us-ca')).toBe(true);
    expect(hintMatches('eu', 'ro')).toBe(true);
    expect(hintMatches('br', 'us-ca')).toBe(false);
  });

  it('sees a blue band on the left of a crop', () => {
    const img = createImage(100, 40);
    for (let y = 0; y < 40; y++) for (let x = 0; x < 100; x++) {
      const i = (y * 100 + x) * 4;
      img.data.set(x < 10 ? [20, 40, 200, 255] : [240, 240, 240, 255], i);
    }
    expect(colourMarks(img)).toEqual({ euBand: true, topBand: false });
  });
});

describe('plate options', () => {
  it('validates thresholds, modes and regexes with a 400 naming the field', () => {
    expect(parseOptions(PlateCallOptionsSchema, { mode: 'fast', regions: ['us-ca'] })).toEqual({ mode: 'fast', regions: ['us-ca'] });
    expect(() => parseOptions(PlateCallOptionsSchema, { thresholdOcr: 2 })).toThrow(/thresholdOcr/);
    expect(() => parseOptions(PlateCallOptionsSchema, { textFormats: ['('] })).toThrow(/textFormats/);
    expect(() => parseOptions(PlateCallOptionsSchema, { mode: 'slow' })).toThrow(/mode/);
  });
});

describe('layout choice for a box read as one row and as two rows', () => {
  const read = (rows: 1 | 2, text: string, probs: number[]) => {
    const chars = [...text].map((char, i) => ({ char, prob: probs[i] ?? 0.99, alts: [], frame: i }));
    return { chars, rows, crop: createImage(1, 1), score: Math.min(...chars.map((c) => c.prob)) };
  };
  it('takes the two-row reading that adds a sure top row to the one-row reading', () => {
    // the one-row crop of a two-row plate reads its big bottom row alone, confidently
    const one = read(1, '938BC', [0.99, 0.99, 0.99, 0.99, 0.99]);
    const two = read(2, 'GF938BC', [0.98, 0.99, 0.9, 0.9, 0.9, 0.9, 0.9]);
    expect(likelierLayout(one, two)).toBe(two);
    expect(likelierLayout(two, one)).toBe(two);
  });
  it('keeps the one-row reading when the added characters are unsure (a one-row plate cut in halves)', () => {
    const one = read(1, 'IKO8673', []);
    const two = read(2, 'VCIKO8673', [0.44, 0.33]);
    expect(likelierLayout(one, two)).toBe(one);
  });
  it('keeps the one-row reading when the sure top row only repeats its own characters', () => {
    // a one-row plate's upper half read again as a "top row": WA74 | WA748
    expect(likelierLayout(read(1, 'WA748', []), read(2, 'WA74WA748', []))).toMatchObject({ rows: 1 });
    expect(likelierLayout(read(2, 'ACW0ACW054', []), read(1, 'ACW054', [0.9]))).toMatchObject({ rows: 1 });
    // two identical rows are one row read twice
    expect(likelierLayout(read(1, '13', []), read(2, '1313', []))).toMatchObject({ rows: 1 });
    // a short genuine top row may recur in the bottom row (two letters): still two rows
    expect(likelierLayout(read(1, '12AB34', []), read(2, 'AB12AB34', []))).toMatchObject({ rows: 2 });
  });
  it('keeps a formatted one-row reading over a sure top row that leaves no format (a city line)', () => {
    expect(likelierLayout(read(1, 'AZR8693', []), read(2, '7DAZR8693', []))).toMatchObject({ rows: 1 });
    // a genuine two-row plate still reads as two rows when both fit formats
    expect(likelierLayout(read(1, '04EVA', []), read(2, 'BR04EVA', []))).toMatchObject({ rows: 2 });
  });
  it('reads a box as two rows too unless it is wide and its one-row reading is a sure, formatted plate', () => {
    // a squarish US / Brazilian box (2:1) read surely in a national format: no second read
    expect(sureOneRow(read(1, 'ABC1234', []), 2)).toBe(true);
    // a two-row EU plate (~1.4:1) reads its bottom row alone just as surely: read both ways
    expect(sureOneRow(read(1, 'ER596', []), 1.4)).toBe(false);
    // unsure, or in no format: read both ways
    expect(sureOneRow(read(1, 'ABC1234', [0.8]), 2)).toBe(false);
    expect(sureOneRow(read(1, 'XQZWVYK', []), 2)).toBe(false);
  });
  it('otherwise keeps the likelier reading', () => {
    const one = read(1, 'AB12CDE', [0.7]);
    const two = read(2, 'XY1234', []);
    expect(likelierLayout(one, two)).toBe(two);
    expect(likelierLayout(read(1, 'AB12CDE', []), read(2, 'XY1234', [0.6]))).toMatchObject({ rows: 1 });
  });
});

describe('weak detections (below the detector threshold) kept only when read as a plate', () => {
  it('keeps a confident reading in a national format', () => {
    expect(isVerifiedWeak({ text: 'LEH2130', score: 0.99 })).toBe(true); // Pakistan, a grey plate in snow
    expect(isVerifiedWeak({ text: 'RTJ626G', score: 0.97 })).toBe(true);
  });
  it('drops words, watermark numbers and unsure readings', () => {
    expect(isVerifiedWeak({ text: 'PARKING', score: 0.998 })).toBe(false);
    expect(isVerifiedWeak({ text: 'TOYOTA', score: 0.98 })).toBe(false);
    expect(isVerifiedWeak({ text: '157774427', score: 0.9999 })).toBe(false); // stock-photo id
    expect(isVerifiedWeak({ text: 'LEH2130', score: 0.9 })).toBe(false);
  });
  it('a region hint verifies its own looser formats', () => {
    expect(isVerifiedWeak({ text: '111197', score: 0.99 })).toBe(false); // six digits: weak evidence anywhere
    expect(isVerifiedWeak({ text: '111197', score: 0.99 }, ['qa'])).toBe(true);
  });
});

describe('word-like readings (TAXI, a dealer name) next to a real plate', () => {
  const r = (plate: string, dscore: number) => ({ plate, dscore });
  it('drops a digitless reading of a doubtful detection when the photo has a plate with digits', () => {
    expect(dropWords([r('ris4070', 0.8), r('taxi', 0.46), r('baleno', 0.56)]).map((x) => x.plate)).toEqual(['ris4070']);
  });
  it('keeps a sure digitless detection (a vanity plate) and a vanity plate alone in its photo', () => {
    expect(dropWords([r('ris4070', 0.8), r('yunique', 0.77)]).map((x) => x.plate)).toEqual(['ris4070', 'yunique']);
    expect(dropWords([r('udluzz', 0.48)]).map((x) => x.plate)).toEqual(['udluzz']);
  });
});
