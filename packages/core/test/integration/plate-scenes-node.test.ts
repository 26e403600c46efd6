/**
 * Real plate models in Node (createRecognizer from src/node.ts) on project-generated scenes of the
 * kinds issue 11 names: plates of several countries, two-row plates, a close-up plate filling about
 * half the frame, a plate tilted 8–12° in the image plane. Each case's scenes must be read exactly,
 * all but at most one: the best answer (results[0]) is the plate's registration (A–Z 0–9, two rows top
 * row first) and its box has IoU ≥ 0.5 with the plate's bounds. One miss per case is what a good reader
 * still makes here (the shipped one reads 27–30 of 30 fresh scenes per style; a Z read as 2 on one
 * two-row Mercosul plate of these seeds), while a broken layout, detector or crop fails them all. The
 * seeds are fixed blocks picked before looking at any reading; nothing here depends on how a
 * particular reader model works.
 */
import { readFileSync } from 'node:fs';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRecognizer, PlateResponseSchema, type Recognizer } from '../../src/node.ts';
import { iou } from '../../src/plate/nms.ts';
import { generatePlateScene, type PlateSceneOptions, type PlateStyle } from '../gen/plate-scenes.ts';

const manifest = JSON.parse(readFileSync(join(import.meta.dirname, '../../../../models/manifest.json'), 'utf8'));
const hasPlateModels = ['plate-detector', 'plate-reader'].every((n) => manifest.models.some((m: { name: string }) => m.name === n));

interface Case {
  name: string;
  /** One scene per entry. */
  scenes: { seed: number; opts: PlateSceneOptions }[];
  /** Checks that the generated scene is the kind the case is about (not a reading check). */
  kind?: (s: ReturnType<typeof generatePlateScene>) => void;
}

const one = (style: PlateStyle, seeds: number[], extra: PlateSceneOptions = {}) =>
  seeds.map((seed) => ({ seed, opts: { plates: 1 as const, style, format: 'jpeg' as const, ...extra } }));

const CASES: Case[] = [
  { name: 'US state plates', scenes: one('us', [1101, 1102, 1103, 1104]) },
  // seed 1201 left out: its German label (LKK SS 2537) has 9 characters, more than a real German plate can (the EU generator allows it and stays unchanged so old seeds keep their scenes)
  { name: 'EU one-row plates with the blue band', scenes: one('eu', [1202, 1203, 1204, 1205]) },
  { name: 'Brazilian Mercosul plates', scenes: one('br', [1301, 1302, 1303, 1304]) },
  { name: 'UK plates (yellow rear / white front, AB12 CDE)', scenes: one('gb', [1401, 1402, 1403, 1404]) },
  {
    name: 'two-row square plates (top row first)',
    scenes: one('square', [1501, 1502, 1503, 1504, 1505]),
    kind: (s) => expect(s.plates[0].rows).toBe(2),
  },
  {
    name: 'a close-up plate filling about half the frame width',
    scenes: (['us', 'eu', 'br', 'gb'] as const).map((style, i) => ({
      seed: 1601 + i,
      opts: { style, closeUp: true, format: 'jpeg' as const },
    })),
    kind: (s) => {
      const b = s.plates[0].box;
      expect((b.xmax - b.xmin) / s.width).toBeGreaterThanOrEqual(0.4);
    },
  },
  {
    name: 'a plate tilted 8–12° in the image plane',
    scenes: ([
      ['us', 10],
      ['eu', -9],
      ['br', 12],
      ['gb', -11],
      ['eu', 8],
    ] as const).map(([style, tiltDeg], i) => ({ seed: 1701 + i, opts: { plates: 1 as const, style, tiltDeg, format: 'jpeg' as const } })),
    kind: (s) => expect(Math.abs(s.plates[0].tiltDeg)).toBeGreaterThanOrEqual(8),
  },
];

describe.skipIf(!hasPlateModels)('recognizePlate in Node reads plates of several countries and layouts exactly', () => {
  let rec: Recognizer;
  beforeAll(async () => {
    rec = await createRecognizer({ tasks: ['plate'] });
  });
  afterAll(() => rec?.dispose());

  it.each(CASES)('$name', async ({ scenes, kind }) => {
    const misses: string[] = [];
    for (const { seed, opts } of scenes) {
      const s = generatePlateScene(seed, opts);
      kind?.(s);
      expect(s.plates).toHaveLength(1);
      const truth = s.plates[0];
      expect(truth.text).toMatch(/^[A-Z0-9]{4,9}$/);
      const res = await rec.recognizePlate(s.bytes).catch((e: { status?: number; message?: string }) => e);
      if (!('results' in res)) {
        misses.push(`seed ${seed} ${truth.text}: ${res.status} ${res.message}`);
        continue;
      }
      expect(PlateResponseSchema.strict().parse(res)).toEqual(res);
      const best = res.results[0];
      const overlap = iou(best.box, truth.box);
      if (best.plate !== truth.text.toLowerCase() || overlap < 0.5) {
        const others = res.results.slice(1).map((r) => `${r.plate} IoU ${iou(r.box, truth.box).toFixed(2)}`);
        misses.push(
          `seed ${seed} ${truth.text}: read ${best.plate} (IoU ${overlap.toFixed(2)}; candidates ${best.candidates?.map((c) => c.plate).join(' ')})` +
            (others.length ? `; other results: ${others.join(', ')}` : ''),
        );
      }
    }
    expect(misses.length, `${misses.length} of ${scenes.length} scenes not read exactly:\n${misses.join('\n')}`).toBeLessThanOrEqual(1);
  });
});

describe.skipIf(!hasPlateModels)('the region of a plate names its country (format, colour bands and the reader\'s look output)', () => {
  let rec: Recognizer;
  beforeAll(async () => {
    rec = await createRecognizer({ tasks: ['plate'] });
  });
  afterAll(() => rec?.dispose());

  it.each([
    ['us', 'us', [1101, 1102, 1103, 1104, 1105, 1106]],
    ['br', 'br', [1301, 1302, 1303, 1304, 1305, 1306]],
    ['gb', 'gb', [1401, 1402, 1403, 1404, 1405, 1406]],
  ] as const)('%s plates → %s', async (style, country, seeds) => {
    const got: string[] = [];
    for (const seed of seeds) {
      const s = generatePlateScene(seed, { plates: 1, style, format: 'jpeg' });
      const res = await rec.recognizePlate(s.bytes);
      got.push(res.results[0].region?.code ?? '(none)');
    }
    // 'us-ca' names the US; at most one plate in six may miss
    expect(got.filter((c) => c === country || c.startsWith(country + '-')).length, got.join(' ')).toBeGreaterThanOrEqual(seeds.length - 1);
  });
});

describe.skipIf(!hasPlateModels)('the state name printed on a US plate names its state (general recogniser, plate + vin tasks)', () => {
  let rec: Recognizer;
  beforeAll(async () => {
    rec = await createRecognizer({ tasks: ['plate', 'vin'] });
  });
  afterAll(() => rec?.dispose());

  it('close-up US plates answer the state their name says', async () => {
    const named: string[] = [];
    for (const seed of [1701, 1702, 1703, 1704, 1705, 1706]) {
      const s = generatePlateScene(seed, { style: 'us', closeUp: true, format: 'jpeg' });
      const res = await rec.recognizePlate(s.bytes);
      named.push(`${s.plates[0].namedRegion}:${res.results[0].region?.code ?? '(none)'}`);
    }
    // the layouts of these states (1ABC234 aside) fit many states: only the printed name can say which
    expect(named.filter((x) => x.split(':')[0] === x.split(':')[1]).length, named.join(' ')).toBeGreaterThanOrEqual(5);
  });
});

describe.skipIf(!hasPlateModels)('crowded plates in a big frame', () => {
  /**
   * Eight generated 1280×720 scenes drawn into a 1920×1080 frame (3×3, scaled to a third), so
   * each plate is 50–100 px wide: at the detector's 512-px first pass they are at the edge of its
   * resolution, and a second, finer pass must find them (without it 5 of these 16 plates were
   * read, with it 13; seeds picked before any reading was looked at).
   */
  async function montage(first: number) {
    const [W, H, cols, rows] = [1920, 1080, 3, 3];
    const canvas = createCanvas(W, H);
    const ctx = canvas.getContext('2d');
    const truth: { text: string; box: { xmin: number; ymin: number; xmax: number; ymax: number } }[] = [];
    for (let i = 0; i < 8; i++) {
      const s = generatePlateScene(first + i, { plates: 1, width: 1280, height: 720, format: 'jpeg' });
      const [x0, y0, k] = [(i % cols) * (W / cols), Math.floor(i / cols) * (H / rows), W / cols / 1280];
      ctx.drawImage(await loadImage(Buffer.from(s.bytes)), x0, y0, W / cols, H / rows);
      const b = s.plates[0].box;
      truth.push({ text: s.plates[0].text.toLowerCase(), box: { xmin: x0 + b.xmin * k, ymin: y0 + b.ymin * k, xmax: x0 + b.xmax * k, ymax: y0 + b.ymax * k } });
    }
    return { bytes: new Uint8Array(await canvas.encode('jpeg', 90)), truth };
  }

  it('reads most of eight plates of a 1920×1080 montage, each at its own box', async () => {
    const rec = await createRecognizer({ tasks: ['plate'] });
    try {
      let read = 0;
      const misses: string[] = [];
      for (const first of [7000, 7010]) {
        const { bytes, truth } = await montage(first);
        const res = await rec.recognizePlate(bytes);
        for (const t of truth) {
          if (res.results.some((r) => r.plate === t.text && iou(r.box, t.box) >= 0.5)) read++;
          else misses.push(t.text);
        }
      }
      expect(read, `not read: ${misses.join(' ')}`).toBeGreaterThanOrEqual(11);
    } finally {
      await rec.dispose();
    }
  });
});
