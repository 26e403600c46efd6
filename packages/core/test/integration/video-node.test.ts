/**
 * Video mode in Node with the real models: a project-made clip (two cars driving through a
 * 640×360 street one after the other, plates moving, empty frames around them) pushed frame by
 * frame into `createPlateTracker()`. Each car must give exactly one confirmed track, with its
 * plate; empty frames are results; a region of interest returns boxes in frame pixels. A VIN
 * label held in front of the camera for a few frames confirms the VIN.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRecognizer, PlateResponseSchema, type PlateTrackerUpdate, type VideoRecognizer } from '../../src/node.ts';
import { iou } from '../../src/video/boxes.ts';
import { plateClip, type ClipFrame, type PlateClip } from '../gen/plate-clip.ts';
import { renderVinLabel } from '../fixtures/render.ts';

let rec: VideoRecognizer;
let clip: PlateClip;

beforeAll(async () => {
  rec = await createRecognizer();
  clip = await plateClip({ width: 640, height: 360 });
});
afterAll(() => rec?.dispose());

async function play(options: Parameters<VideoRecognizer['createPlateTracker']>[0] = {}) {
  const tracker = rec.createPlateTracker(options);
  const ups: (PlateTrackerUpdate & { truth: ClipFrame['plates'] })[] = [];
  for (const f of clip.frames()) {
    const u = await tracker.push({ data: f.rgba, width: clip.width, height: clip.height }, f.timestampMs);
    ups.push({ ...u, truth: f.plates });
  }
  const tail = await tracker.close();
  return { ups, events: [...ups.flatMap((u) => u.events), ...tail], stats: tracker.stats };
}

describe('plate tracker on a generated street clip', () => {
  it('one confirmed track per car, with the right plate; every frame a result', async () => {
    expect(clip.cars.map((c) => c.text)).toHaveLength(2);
    const { ups, events, stats } = await play();
    expect(stats).toMatchObject({ processed: clip.length, dropped: 0, skipped: 0 });
    for (const u of ups) {
      expect(u.status).toBe('processed');
      expect(PlateResponseSchema.parse(u.result)).toEqual(u.result);
      // the vote asks the reader for more candidates; the caller gets its maxCandidates (5)
      for (const r of u.result!.results) expect(r.candidates!.length).toBeLessThanOrEqual(5);
    }
    // the clip has empty frames (before, between, after the cars): an empty result, not a 404
    expect(ups.filter((u) => u.truth.length === 0 && u.result!.results.length === 0).length).toBeGreaterThan(10);
    const confirmed = events.filter((e) => e.type === 'confirmed');
    expect(confirmed.map((e) => e.track.plate.toUpperCase())).toEqual(clip.cars.map((c) => c.text));
    expect(new Set(confirmed.map((e) => e.track.id)).size).toBe(2);
    const ended = events.filter((e) => e.type === 'ended');
    expect(ended.map((e) => e.track.id)).toEqual(confirmed.map((e) => e.track.id));
    for (const [i, e] of ended.entries()) {
      const car = clip.cars[i];
      expect(e.track.plate.toUpperCase()).toBe(car.text);
      // first/last seen within the frames where the plate is in view
      expect(e.track.firstSeenMs).toBeGreaterThanOrEqual((car.enter * 1000) / clip.fps);
      expect(e.track.lastSeenMs).toBeLessThanOrEqual((car.leave * 1000) / clip.fps);
      expect(e.track.frames).toBeGreaterThan(8);
      expect(e.track.candidates[0].plate).toBe(e.track.plate);
      expect(e.track.chars.map((c) => c.char).join('')).toBe(e.track.plate);
    }
    // while a car's plate is fully in view, its track's box follows it
    for (const u of ups) {
      for (const t of u.truth.filter((p) => p.visible === 1)) {
        const track = u.tracks.find((x) => x.plate.toUpperCase() === t.text && x.missedFrames === 0);
        if (track) expect(iou(track.box, t.box)).toBeGreaterThan(0.5);
      }
    }
  });

  it('a region of interest reads only that part of the frame, boxes in frame pixels', async () => {
    // the sky: no plate there
    const sky = await play({ regionOfInterest: { left: 0, top: 0, right: 1, bottom: 0.35 } });
    expect(sky.events).toEqual([]);
    // the right half: both cars pass through it
    const right = await play({ regionOfInterest: { left: 0.5, top: 0, right: 1, bottom: 1 } });
    const confirmed = right.events.filter((e) => e.type === 'confirmed');
    expect(confirmed.map((e) => e.track.plate.toUpperCase())).toEqual(clip.cars.map((c) => c.text));
    for (const u of right.ups) {
      for (const r of u.result!.results) expect(r.box.xmin).toBeGreaterThanOrEqual(clip.width / 2);
      for (const t of u.truth.filter((p) => p.visible === 1 && p.box.xmin >= clip.width / 2)) {
        const hit = u.result!.results.find((r) => r.plate.toUpperCase() === t.text);
        if (hit) expect(iou(hit.box, t.box)).toBeGreaterThan(0.5);
      }
    }
  });
});

describe('VIN tracker', () => {
  const VIN = '1HGCM82633A004352';
  it('a VIN label in view for a few frames confirms the VIN; frames without it are null results', async () => {
    const tracker = rec.createVinTracker();
    const label = renderVinLabel(VIN, { width: 960, height: 540 });
    const blank = { data: new Uint8ClampedArray(320 * 180 * 4).fill(90), width: 320, height: 180 };
    const ups = [];
    ups.push(await tracker.push(blank, 0));
    for (let f = 1; f <= 3; f++) ups.push(await tracker.push(label, f * 100));
    expect(ups[0]).toMatchObject({ status: 'processed', result: null, tracks: [] });
    const confirmed = ups.flatMap((u) => u.events).filter((e) => e.type === 'confirmed');
    expect(confirmed).toHaveLength(1);
    expect(confirmed[0].track).toMatchObject({ vin: VIN, checkDigitValid: true, confirmed: true });
    const ended = await tracker.close();
    expect(ended.map((e) => [e.type, e.track.vin])).toEqual([['ended', VIN]]);
  });

  it('trackers refuse to start after dispose, naming the fix', async () => {
    const r = await createRecognizer({ tasks: ['vin'] });
    expect(() => r.createPlateTracker()).toThrow(/tasks including 'plate'/);
    const t = r.createVinTracker();
    await r.dispose();
    await expect(t.push(new Uint8Array([1, 2, 3]), 1)).rejects.toMatchObject({ code: 'DISPOSED' });
  });
});
