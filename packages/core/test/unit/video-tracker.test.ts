/**
 * The video tracker on synthetic per-frame results (no model: the point is the tracking and
 * the vote). Frames go through the public factory with a scripted frame reader.
 */
import { describe, expect, it } from 'vitest';
import { alignPairs, editDistance } from '../../src/video/align.ts';
import { touchesEdge } from '../../src/video/boxes.ts';
import { makePlateTracker, makeVinTracker, type FrameIO } from '../../src/video/create-trackers.ts';
import { voteReadings } from '../../src/video/vote.ts';
import type { PlateResponse, PlateResult, VinResponse } from '../../src/schemas.ts';
import type { PlateTrackerOptions } from '../../src/video/video-options.ts';
import type { PlateTrackerUpdate } from '../../src/video/types.ts';

const box = (x: number, y: number, w = 120, h = 30) => ({ xmin: x, ymin: y, xmax: x + w, ymax: y + h });
const plate = (text: string, b: ReturnType<typeof box>, score = 0.9, candidates: [string, number][] = []): PlateResult => ({
  box: b,
  plate: text,
  score,
  candidates: [{ plate: text, score }, ...candidates.map(([p, s]) => ({ plate: p, score: s }))],
  dscore: 0.9,
});

/** The frame the scripted results come from. */
const AREA = { x: 0, y: 0, width: 1280, height: 720 };
const framed = <R>(result: R) => ({ result, area: AREA });

/** A tracker whose "recogniser" answers the scripted results frame by frame. */
function scripted(frames: PlateResult[][], options: PlateTrackerOptions = {}) {
  let i = 0;
  const io: FrameIO = {
    readPlate: async () => framed({ success: true, results: frames[i++] ?? [] } satisfies PlateResponse),
    readVin: async () => framed(null),
    release: () => undefined,
    assertOpen: () => undefined,
  };
  const tracker = makePlateTracker(io, options);
  const pixel = { data: new Uint8ClampedArray(4), width: 1, height: 1 };
  return {
    tracker,
    async run(): Promise<PlateTrackerUpdate[]> {
      const out: PlateTrackerUpdate[] = [];
      for (let f = 0; f < frames.length; f++) out.push(await tracker.push(pixel, 1000 + f * 100));
      return out;
    },
  };
}

describe('boxes at the edge of the area read', () => {
  it('counts a plate box a few pixels inside the edge as possibly cut, one half a glyph away as whole', () => {
    const area = { x: 320, y: 0, width: 320, height: 360 };
    // a 30 px tall plate entering from the left edge: its visible part starts 4 px inside
    expect(touchesEdge({ xmin: 324, ymin: 150, xmax: 409, ymax: 180 }, area)).toBe(true);
    expect(touchesEdge({ xmin: 338, ymin: 150, xmax: 456, ymax: 180 }, area)).toBe(false);
  });
});

describe('alignment', () => {
  it('pairs equal-length readings position by position and skips an inserted character', () => {
    expect(editDistance('ab12cde', 'ab2cde')).toBe(1);
    expect(alignPairs('ab12cd', 'ab12cd')).toEqual([0, 1, 2, 3, 4, 5].map((i) => [i, i]));
    // 'ab2cde' lost the '1': its '2' (index 2) aligns with index 3 of the full reading
    expect(alignPairs('ab2cde', 'ab12cde')).toEqual([[0, 0], [1, 1], [2, 3], [3, 4], [4, 5], [5, 6]]);
  });
});

describe('per-character vote', () => {
  it('a reading wrong in 2 of 5 frames is right after the vote, even when the wrong frames are more confident', () => {
    const c = voteReadings([
      { text: 'ab12cde', score: 0.8 },
      { text: 'ab12cdf', score: 0.95 },
      { text: 'ab12cde', score: 0.8 },
      { text: 'ab12cdf', score: 0.95 },
      { text: 'ab12cde', score: 0.8 },
    ])!;
    expect(c.text).toBe('ab12cde');
    expect(c.agreeing).toBe(3);
    expect(c.chars[6].alts[0].char).toBe('f');
    expect(c.candidates[0].text).toBe('ab12cde');
    expect(c.candidates.map((x) => x.text)).toContain('ab12cdf');
  });

  it('votes per character: right when no single frame read the whole plate right (string voting cannot)', () => {
    const c = voteReadings(['xb12cde', 'ax12cde', 'abx2cde', 'ab1xcde', 'ab12xde'].map((text) => ({ text, score: 0.8 })))!;
    expect(c.text).toBe('ab12cde');
    expect(c.agreeing).toBe(0);
  });

  it("folds the reader's alternatives: a frame's runner-up character counts for it", () => {
    const d = voteReadings([...[0, 1].map(() => ({ text: 'a812', score: 0.7, candidates: [{ text: 'ab12', score: 0.65 }] })), { text: 'ab12', score: 0.6 }])!;
    // per frame a position's shares sum to at most 1 (0.7 + 0.65 → 0.52 / 0.48): b totals 2 × 0.48 + 0.6,
    // 8 only 2 × 0.52, though '8' was the top reading of 2 of 3 frames
    expect(d.text).toBe('ab12');
    expect(d.chars[1].alts).toEqual([{ char: '8', score: expect.closeTo((2 * 0.7) / 1.35 / 3, 5) }]);
  });

  it('candidates that are other hypotheses (many characters apart) do not vote against single characters', () => {
    // a VIN reader's candidates: the same line read one window to the left, 17 characters each
    const c = voteReadings([{ text: '1HGCM82633A004352', score: 0.99, candidates: [{ text: 'N1HGCM82633A00435', score: 0.95 }] }])!;
    expect(c.score).toBeCloseTo(0.99, 5);
  });

  it('aligns readings of another length: a dropped or doubled character still votes for the rest', () => {
    const c = voteReadings([
      { text: 'ab12cde', score: 0.9 },
      { text: 'ab2cde', score: 0.9 },
      { text: 'ab12cde', score: 0.9 },
      { text: 'abb12cde', score: 0.9 },
    ])!;
    expect(c.text).toBe('ab12cde');
    // 'c' at index 4 was voted by all 4 frames, '1' at index 2 only by the 3 that have it (the doubled b aligns away)
    expect(c.chars[4].score).toBeCloseTo(0.9, 5);
    expect(c.chars[2].score).toBeLessThan(c.chars[4].score);
  });

  it('the length is voted by score: one long misread does not change it', () => {
    const c = voteReadings([
      { text: 'ab12cde', score: 0.8 },
      { text: 'ab12cdex', score: 0.99 },
      { text: 'ab12cde', score: 0.8 },
    ])!;
    expect(c.text).toBe('ab12cde');
  });
});

describe('plate tracker', () => {
  it('corrects a plate misread in 2 of 5 frames and confirms it once', async () => {
    const reads = ['ab12cde', 'ab12cdf', 'ab12cde', 'a812cde', 'ab12cde'];
    const { run } = scripted(reads.map((t, i) => [plate(t, box(100 + 10 * i, 200))]), { framesToConfirm: 4, confirmScore: 1 });
    const ups = await run();
    expect(ups.every((u) => u.tracks.length === 1 && u.tracks[0].id === ups[0].tracks[0].id)).toBe(true);
    const last = ups[4].tracks[0];
    expect(last.plate).toBe('ab12cde');
    expect(last.frames).toBe(5);
    expect(last.firstSeenMs).toBe(1000);
    expect(last.lastSeenMs).toBe(1400);
    expect(last.chars.map((c) => c.char).join('')).toBe('ab12cde');
    const confirmed = ups.flatMap((u) => u.events).filter((e) => e.type === 'confirmed');
    expect(confirmed).toHaveLength(1);
    expect(confirmed[0].track.plate).toBe('ab12cde');
  });

  it('confirms after framesToConfirm stable frames, or at 2 frames over the confidence bar', async () => {
    const slow = scripted([0, 1, 2, 3].map((i) => [plate('ab12cde', box(100 + 5 * i, 50), 0.8)]), { framesToConfirm: 3 });
    const a = await slow.run();
    expect(a.map((u) => u.events.map((e) => e.type))).toEqual([[], [], ['confirmed'], []]);
    const fast = scripted([0, 1, 2].map((i) => [plate('ab12cde', box(100 + 5 * i, 50), 0.97)]), { framesToConfirm: 3, confirmScore: 0.95 });
    const b = await fast.run();
    expect(b.map((u) => u.events.map((e) => e.type))).toEqual([[], ['confirmed'], []]);
  });

  it('a plate cut by the frame edge never confirms, and hardly votes', async () => {
    // a car entering from the left: 3 confident sightings of the visible part, then the whole plate
    const frames = [
      [plate('ud660', box(0, 100, 60), 0.99)],
      [plate('pud660', box(0, 100, 90), 0.99)],
      [plate('pud660', box(0, 100, 100), 0.99)],
      ...[0, 1, 2].map((i) => [plate('apud660', box(20 + 30 * i, 100), 0.9)]),
    ];
    const ups = await scripted(frames, { framesToConfirm: 3 }).run();
    expect(ups.slice(0, 3).every((u) => u.events.length === 0)).toBe(true);
    const confirmed = ups.flatMap((u) => u.events).filter((e) => e.type === 'confirmed');
    expect(confirmed.map((e) => e.track.plate)).toEqual(['apud660']);
    expect(ups[5].tracks).toHaveLength(1);
    expect(ups[5].tracks[0].frames).toBe(6);
  });

  it('never confirms below minTrackConfidence', async () => {
    const t = scripted([0, 1, 2, 3, 4].map((i) => [plate('ab12cde', box(100 + 5 * i, 50), 0.55)]), { minTrackConfidence: 0.6 });
    const ups = await t.run();
    expect(ups.flatMap((u) => u.events)).toEqual([]);
    expect(ups[4].tracks[0].confirmed).toBe(false);
  });

  it('two plates crossing keep their ids', async () => {
    // A moves right, B left, on the same row; they overlap completely at frame 6
    const frames: PlateResult[][] = [];
    for (let f = 0; f <= 12; f++) {
      const a = plate(f === 5 ? 'abc1z3' : 'abc123', box(40 + 50 * f, 300)); // one misread of A near the crossing
      const b = plate('xyz789', box(640 - 50 * f, 300 + (f === 6 ? 0 : 2)));
      frames.push(f % 2 ? [a, b] : [b, a]); // the pipeline's order says nothing
    }
    const ups = await scripted(frames, { framesToConfirm: 3 }).run();
    const idOf = (u: PlateTrackerUpdate, p: string) => u.tracks.find((t) => t.plate === p)?.id;
    const a0 = idOf(ups[0], 'abc123');
    const b0 = idOf(ups[0], 'xyz789');
    expect(a0).toBeDefined();
    expect(b0).toBeDefined();
    for (const [f, u] of ups.entries()) {
      expect(u.tracks, `frame ${f}`).toHaveLength(2);
      expect(idOf(u, 'abc123'), `frame ${f}`).toBe(a0);
      expect(idOf(u, 'xyz789'), `frame ${f}`).toBe(b0);
      // and each id is where its plate is: A left of B before the crossing, right of it after
      const a = u.tracks.find((t) => t.id === a0)!;
      const b = u.tracks.find((t) => t.id === b0)!;
      if (f < 6) expect(a.box.xmin).toBeLessThan(b.box.xmin);
      if (f > 6) expect(a.box.xmin).toBeGreaterThan(b.box.xmin);
    }
  });

  it('a fast plate at a low frame rate (2 plate widths a frame, no velocity yet) stays one track', async () => {
    const frames = [0, 1, 2, 3, 4].map((i) => [plate('ncz7750', box(100 + 240 * i, 300))]);
    const ups = await scripted(frames).run();
    expect(ups.map((u) => u.tracks.map((t) => t.id))).toEqual([[1], [1], [1], [1], [1]]);
    // another plate that far away is another car
    const two = await scripted([[plate('ncz7750', box(100, 300))], [plate('xyz789', box(340, 300))]]).run();
    expect(two[1].tracks.map((t) => t.id)).toEqual([1, 2]);
  });

  it('when motion cannot tell two plates apart, the reading does', async () => {
    // two plates side by side, overlapping, jumping about (a shaking hand-held camera): no usable velocity
    const jitter = [0, 30, -25, 20, -30, 25, -20, 30, 0, -25];
    const frames = jitter.map((j, f) => {
      const a = plate('abc123', box(200 + j, 100));
      const b = plate('xyz789', box(260 - j, 100));
      return f % 2 ? [a, b] : [b, a];
    });
    const ups = await scripted(frames).run();
    const ids = ups.map((u) => Object.fromEntries(u.tracks.map((t) => [t.plate, t.id])));
    expect(ids.every((m) => m.abc123 === ids[0].abc123 && m.xyz789 === ids[0].xyz789)).toBe(true);
    expect(ups[9].tracks.map((t) => t.frames)).toEqual([10, 10]);
  });

  it('a track survives missed frames and ends after maxMissedFrames misses, with one ended event', async () => {
    const seen = [0, 1, 2, 3].map((i) => [plate('ab12cde', box(100 + 8 * i, 80))]);
    // gap of 2 empty frames (survives), seen again, then empty for good
    const frames = [...seen, [], [], [plate('ab12cde', box(150, 80))], [], [], [], [], []];
    const ups = await scripted(frames, { maxMissedFrames: 3 }).run();
    expect(ups[6].tracks).toHaveLength(1);
    expect(ups[6].tracks[0].frames).toBe(5);
    expect(ups[5].tracks[0].missedFrames).toBe(2);
    const ended = ups.flatMap((u, f) => u.events.filter((e) => e.type === 'ended').map(() => f));
    expect(ended).toEqual([10]); // last seen at 6; misses at 7, 8, 9 survive; the 4th miss ends it
    expect(ups[10].tracks).toHaveLength(0);
    expect(ups.flatMap((u) => u.events).filter((e) => e.type === 'confirmed')).toHaveLength(1);
  });

  it('empty frames are results, not exceptions; a non-increasing timestamp is a typed error', async () => {
    const { tracker } = scripted([[], []]);
    const px = { data: new Uint8ClampedArray(4), width: 1, height: 1 };
    const u = await tracker.push(px, 10);
    expect(u.status).toBe('processed');
    expect(u.result).toEqual({ success: true, results: [] });
    expect(u.tracks).toEqual([]);
    await expect(tracker.push(px, 10)).rejects.toMatchObject({ status: 400, code: 'INVALID_OPTIONS' });
  });

  it('the fps cap skips frames by timestamp', async () => {
    const { tracker } = scripted(Array.from({ length: 10 }, () => []), { maxFps: 5 });
    const px = { data: new Uint8ClampedArray(4), width: 1, height: 1 };
    const statuses = [];
    for (let f = 0; f < 10; f++) statuses.push((await tracker.push(px, f * 100)).status);
    // 200 ms apart at 5 fps: every other frame of a 10 fps stream
    expect(statuses).toEqual(['processed', 'skipped', 'processed', 'skipped', 'processed', 'skipped', 'processed', 'skipped', 'processed', 'skipped']);
    expect(tracker.stats).toMatchObject({ processed: 5, skipped: 5, dropped: 0 });
  });

  it('rejects bad options with the field named', () => {
    const io = { readPlate: async () => framed({ success: true, results: [] }), readVin: async () => framed(null), release: () => {}, assertOpen: () => {} };
    expect(() => makePlateTracker(io, { regionOfInterest: { left: 0.5, top: 0, right: 0.2, bottom: 1 } })).toThrow(/regionOfInterest/);
    expect(() => makePlateTracker(io, { framesToConfirm: 0 })).toThrow(/framesToConfirm/);
  });
});

describe('VIN tracker', () => {
  const VIN = '1HGCM82633A004352'; // check digit valid
  const vin = (text: string, confidence: number): VinResponse => ({
    success: true,
    vin: text,
    box: box(50, 50, 400, 40),
    confidence,
    candidates: [{ vin: text, confidence, box: box(50, 50, 400, 40) }],
  });
  const run = async (frames: (VinResponse | null)[], options = {}) => {
    let i = 0;
    const io: FrameIO = { readPlate: async () => framed({ success: true, results: [] }), readVin: async () => framed(frames[i++] ?? null), release: () => {}, assertOpen: () => {} };
    const t = makeVinTracker(io, options);
    const px = { data: new Uint8ClampedArray(4), width: 1, height: 1 };
    const out = [];
    for (let f = 0; f < frames.length; f++) out.push(await t.push(px, f * 100));
    return out;
  };

  it('one confident frame passing the check digit confirms the VIN', async () => {
    const ups = await run([vin(VIN, 0.95)]);
    expect(ups[0].events.map((e) => [e.type, e.track.vin, e.track.checkDigitValid])).toEqual([['confirmed', VIN, true]]);
  });

  it('a reading failing the check digit needs K agreeing frames; empty frames in between are fine', async () => {
    const bad = VIN.slice(0, 16) + '3';
    const ups = await run([vin(bad, 0.95), null, vin(bad, 0.95), vin(bad, 0.95)], { framesToConfirm: 3 });
    expect(ups.map((u) => u.events.map((e) => e.type))).toEqual([[], [], [], ['confirmed']]);
    expect(ups[1].result).toBeNull();
    expect(ups[3].tracks[0].checkDigitValid).toBe(false);
  });

  it('the vote fixes a VIN misread in 2 of 5 frames', async () => {
    const wrong = VIN.replace('CM8', 'CMB'); // fails the check digit
    const ups = await run([vin(VIN, 0.8), vin(wrong, 0.85), vin(VIN, 0.8), vin(wrong, 0.85), vin(VIN, 0.8)], { confirmScore: 1 });
    expect(ups[4].tracks[0].vin).toBe(VIN);
    expect(ups[4].tracks[0].checkDigitValid).toBe(true);
  });
});
