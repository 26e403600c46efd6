/** Latest-frame-wins scheduling: a slow recogniser never accumulates a queue. */
import { describe, expect, it } from 'vitest';
import { LatestFrameScheduler, RateMeter } from '../../src/video/scheduler.ts';
import { makePlateTracker } from '../../src/video/create-trackers.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('latest-frame-wins', () => {
  it('a slow recogniser: one running, at most one pending, newer frames replace the pending one', async () => {
    const ran: number[] = [];
    const released: number[] = [];
    let maxPending = 0;
    const s = new LatestFrameScheduler<number, number>(
      async (f) => {
        ran.push(f);
        await sleep(40);
        return f * 10;
      },
      (f) => released.push(f),
    );
    const answers: Promise<unknown>[] = [];
    for (let f = 0; f < 20; f++) {
      answers.push(s.submit(f));
      maxPending = Math.max(maxPending, s.pending);
      await sleep(5);
    }
    const results = await Promise.all(answers);
    expect(maxPending).toBe(1);
    // the first frame ran at once; every later run was the newest frame at the time
    expect(ran[0]).toBe(0);
    expect(ran[ran.length - 1]).toBe(19);
    expect(ran.length).toBeLessThan(8);
    const dropped = results.filter((r) => (r as { dropped: boolean }).dropped).length;
    expect(dropped).toBe(20 - ran.length);
    expect(released.sort((a, b) => a - b)).toEqual([...Array(20).keys()].filter((f) => !ran.includes(f)));
    expect(results[19]).toEqual({ dropped: false, value: 190 });
  });

  it('through a tracker: stats count dropped frames and pending stays ≤ 1', async () => {
    const io = {
      readPlate: async () => {
        await sleep(30);
        return { result: { success: true, results: [] }, area: { x: 0, y: 0, width: 1, height: 1 } };
      },
      readVin: async () => ({ result: null, area: { x: 0, y: 0, width: 1, height: 1 } }),
      release: () => undefined,
      assertOpen: () => undefined,
    };
    const t = makePlateTracker(io);
    const px = { data: new Uint8ClampedArray(4), width: 1, height: 1 };
    const all = [];
    for (let f = 0; f < 12; f++) {
      all.push(t.push(px, f * 5));
      expect(t.stats.pending).toBeLessThanOrEqual(1);
      await sleep(5);
    }
    const ups = await Promise.all(all);
    const st = t.stats;
    expect(st.processed + st.dropped).toBe(12);
    expect(st.dropped).toBeGreaterThan(5);
    expect(ups.filter((u) => u.status === 'dropped')).toHaveLength(st.dropped);
    expect(ups[11].status).toBe('processed');
    await t.close();
    await expect(t.push(px, 1000)).rejects.toMatchObject({ code: 'INVALID_OPTIONS' });
  });

  it('measures the effective rate', () => {
    const m = new RateMeter(2000);
    for (let i = 0; i <= 10; i++) m.tick(i * 100);
    expect(m.rate(1000)).toBeCloseTo(10, 5);
    expect(m.rate(5000)).toBe(0);
  });
});
