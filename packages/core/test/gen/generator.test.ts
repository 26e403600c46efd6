import { describe, expect, it } from 'vitest';
import { isCheckDigitValid, isVinSyntax, MODEL_YEAR_CHARS } from '../../src/vin/check-digit.ts';
import { generateVinScene, randomVin, vinSceneSuite, VIN_SCENE_KINDS } from './vin-scenes.ts';
import { generatePlateScene, plateSceneSuite } from './plate-scenes.ts';
import { Rng } from './rng.ts';

const PNG_SIG = [0x89, 0x50, 0x4e, 0x47];
const inside = (b: { xmin: number; ymin: number; xmax: number; ymax: number }, w: number, h: number) =>
  b.xmin >= 0 && b.ymin >= 0 && b.xmax <= w && b.ymax <= h && b.xmax > b.xmin && b.ymax > b.ymin;

describe('rng', () => {
  it('is deterministic and in range', () => {
    const a = new Rng(5);
    const b = new Rng(5);
    for (let i = 0; i < 100; i++) {
      const x = a.next();
      expect(x).toBe(b.next());
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
      const k = a.int(3, 7);
      b.int(3, 7);
      expect(k).toBeGreaterThanOrEqual(3);
      expect(k).toBeLessThanOrEqual(7);
    }
    expect(new Rng(1).next()).not.toBe(new Rng(2).next());
  });
});

describe('VIN scene generator', () => {
  const suite = vinSceneSuite(30, 1);

  it('is deterministic: same seed → same bytes', () => {
    for (const kind of VIN_SCENE_KINDS) {
      const a = generateVinScene(77, { kind });
      const b = generateVinScene(77, { kind });
      expect(Buffer.from(a.bytes).equals(Buffer.from(b.bytes))).toBe(true);
      expect(a.vin).toBe(b.vin);
      expect(a.box).toEqual(b.box);
    }
    expect(generateVinScene(78).vin).not.toBe(generateVinScene(79).vin);
  });

  it('produces valid VINs (check digit for 1–5 / L)', () => {
    for (const s of suite) {
      expect(isVinSyntax(s.vin), s.vin).toBe(true);
      expect(MODEL_YEAR_CHARS).toContain(s.vin[9]);
      if (/^[1-5L]/.test(s.vin)) expect(isCheckDigitValid(s.vin), s.vin).toBe(true);
    }
    // a bigger sample covers every region
    const firsts = new Set<string>();
    let doubled = 0;
    for (let seed = 1; seed <= 500; seed++) {
      const v = randomVin(new Rng(seed));
      firsts.add(v[0]);
      expect(isVinSyntax(v)).toBe(true);
      if (/^[1-5L]/.test(v)) expect(isCheckDigitValid(v), v).toBe(true);
      if (/(.)\1/.test(v)) doubled++;
    }
    expect(doubled).toBeGreaterThan(100);
    expect([...firsts].some((c) => /[1-5]/.test(c))).toBe(true);
    expect(firsts.has('L')).toBe(true);
    expect([...firsts].some((c) => /[JKSVWZ]/.test(c))).toBe(true);
  });

  it('encodes PNG by default and JPEG on request, at the requested size', () => {
    expect([...suite[0].bytes.slice(0, 4)]).toEqual(PNG_SIG);
    const j = generateVinScene(3, { format: 'jpeg', width: 640, height: 480 });
    expect([...j.bytes.slice(0, 2)]).toEqual([0xff, 0xd8]);
    expect([j.width, j.height]).toEqual([640, 480]);
    expect(inside(j.box, 640, 480)).toBe(true);
  });

  it('keeps the VIN box inside the image with a plausible size', () => {
    for (const s of suite) {
      expect(s.width).toBe(1280);
      expect(s.height).toBe(720);
      expect(inside(s.box, s.width, s.height), `${s.kind} seed ${s.seed}`).toBe(true);
      const long = Math.max(s.box.xmax - s.box.xmin, s.box.ymax - s.box.ymin);
      const short = Math.min(s.box.xmax - s.box.xmin, s.box.ymax - s.box.ymin);
      expect(long).toBeGreaterThan(8 * 12); // 17 chars of ≥ 12 px caps
      expect(short).toBeGreaterThanOrEqual(12);
    }
  });

  it('cycles the kinds with ~15–20 % rotated; rotated VINs read vertically', () => {
    const rotated = suite.filter((s) => s.kind === 'rotated-sticker');
    expect(rotated.length / suite.length).toBeGreaterThanOrEqual(0.15);
    expect(rotated.length / suite.length).toBeLessThanOrEqual(0.2);
    for (const s of suite) {
      const w = s.box.xmax - s.box.xmin;
      const h = s.box.ymax - s.box.ymin;
      if (s.kind === 'rotated-sticker') expect(h, `seed ${s.seed}`).toBeGreaterThan(2 * w);
      else expect(w, `${s.kind} seed ${s.seed}`).toBeGreaterThan(h);
    }
  });
});

describe('plate scene generator', () => {
  it('is deterministic', () => {
    const a = generatePlateScene(11);
    const b = generatePlateScene(11);
    expect(Buffer.from(a.bytes).equals(Buffer.from(b.bytes))).toBe(true);
    expect(a.plates).toEqual(b.plates);
  });

  it('renders 0, 1 or 2 plates of each style with boxes inside the image', () => {
    expect(generatePlateScene(4, { plates: 0 }).plates).toEqual([]);
    for (const style of ['us', 'eu', 'br'] as const) {
      for (const n of [1, 2] as const) {
        const s = generatePlateScene(20 + n, { plates: n, style });
        expect(s.plates).toHaveLength(n);
        for (const p of s.plates) {
          expect(p.style).toBe(style);
          expect(p.text).toMatch(/^[A-Z0-9]{4,8}$/);
          expect(inside(p.box, s.width, s.height)).toBe(true);
          const w = p.box.xmax - p.box.xmin;
          expect(w).toBeGreaterThan(100);
          expect(w).toBeLessThan(340);
          if (style === 'br') expect(p.text).toMatch(/^[A-Z]{3}[0-9][A-Z][0-9]{2}$/);
        }
      }
    }
  });

  it('gives the scenes it gave before the gb/square styles, closeUp and tiltDeg existed (labels pinned)', () => {
    const labels = (s: ReturnType<typeof generatePlateScene>) => s.plates.map(({ text, printed, box, style }) => ({ text, printed, box, style }));
    expect(labels(generatePlateScene(101, { plates: 1, style: 'eu', format: 'jpeg' }))).toEqual([
      { text: 'VR770ED', printed: 'VR-770-ED', box: { xmin: 409, ymin: 506, xmax: 545, ymax: 545 }, style: 'eu' },
    ]);
    expect(labels(generatePlateScene(300, { plates: 2, format: 'jpeg' }))).toEqual([
      { text: 'LJZ6868', printed: 'LJZ6868', box: { xmin: 234, ymin: 551, xmax: 370, ymax: 626 }, style: 'us' },
      { text: 'SS815KD', printed: 'SS 815KD', box: { xmin: 867, ymin: 597, xmax: 1009, ymax: 632 }, style: 'eu' },
    ]);
    expect(labels(generatePlateScene(12))).toEqual([
      { text: '4515TVZ', printed: '4515 TVZ', box: { xmin: 373, ymin: 476, xmax: 635, ymax: 546 }, style: 'eu' },
    ]);
    for (const p of generatePlateScene(13).plates) expect([p.rows, p.style]).toEqual([1, 'br']);
  });

  it('renders UK plates (LLNN LLL, one row) and two-row square plates labelled top row first', () => {
    const rowPatterns = new Set<string>();
    for (let seed = 1; seed <= 8; seed++) {
      const gb = generatePlateScene(seed, { plates: 1, style: 'gb', width: 640, height: 360 }).plates[0];
      expect(gb.text).toMatch(/^[A-Z]{2}[0-9]{2}[A-Z]{3}$/);
      expect(gb.printed).toMatch(/^[A-Z]{2}[0-9]{2} [A-Z]{3}$/);
      expect(gb.rows).toBe(1);
      expect((gb.box.xmax - gb.box.xmin) / (gb.box.ymax - gb.box.ymin)).toBeGreaterThan(2.6);

      const s = generatePlateScene(seed, { plates: 1, style: 'square', width: 640, height: 360 });
      const sq = s.plates[0];
      expect(inside(sq.box, s.width, s.height)).toBe(true);
      expect(sq.rows).toBe(2);
      const [top, bottom] = sq.printed.split('\n');
      expect(sq.text).toBe(top + bottom);
      expect(sq.text).toMatch(/^[A-Z0-9]{5,7}$/);
      expect((sq.box.xmax - sq.box.xmin) / (sq.box.ymax - sq.box.ymin)).toBeLessThan(2);
      rowPatterns.add(`${top.replace(/[A-Z]/g, 'L').replace(/[0-9]/g, 'N')}/${bottom.replace(/[A-Z]/g, 'L').replace(/[0-9]/g, 'N')}`);
    }
    // letters over digits (EU), AB12 over CDE (UK), ABC over 1D23 (Mercosul motorcycle)
    expect([...rowPatterns].some((p) => /^L+\/N+$/.test(p))).toBe(true);
    expect(rowPatterns.size).toBeGreaterThanOrEqual(2);
  });

  it('closeUp: one plate about half the frame wide, inside the image', () => {
    for (const [i, style] of (['us', 'eu', 'br', 'gb', 'square'] as const).entries()) {
      const s = generatePlateScene(50 + i, { style, closeUp: true, plates: 2, width: 640, height: 360 });
      expect(s.plates).toHaveLength(1);
      const b = s.plates[0].box;
      expect(inside(b, s.width, s.height), style).toBe(true);
      const frac = (b.xmax - b.xmin) / s.width;
      expect(frac, style).toBeGreaterThan(style === 'square' ? 0.3 : 0.4);
      expect(frac, style).toBeLessThan(0.7);
      expect((b.ymax - b.ymin) / s.height, style).toBeLessThan(0.85);
    }
    const small = generatePlateScene(60, { style: 'us', closeUp: 0.4, width: 320, height: 240 });
    const w = small.plates[0].box.xmax - small.plates[0].box.xmin;
    expect(w).toBeGreaterThan(0.33 * 320);
    expect(w).toBeLessThan(0.48 * 320);
    expect(() => generatePlateScene(1, { closeUp: 1.5 })).toThrow(/closeUp/);
  });

  it('tiltDeg turns the plate in the image plane and leaves the rest of the seed\'s scene', () => {
    for (const style of ['eu', 'gb'] as const) {
      const flat = generatePlateScene(70, { plates: 1, style, width: 640, height: 360, tiltDeg: 0 }).plates[0];
      const tilted = generatePlateScene(70, { plates: 1, style, width: 640, height: 360, tiltDeg: 10 }).plates[0];
      expect(tilted.text).toBe(flat.text);
      expect([flat.tiltDeg, tilted.tiltDeg]).toEqual([0, 10]);
      // a long plate turned 10° has much taller bounds (sin 10° × width ≈ 0.17 × width)
      const hw = (p: typeof flat) => (p.box.ymax - p.box.ymin) / (p.box.xmax - p.box.xmin);
      expect(hw(tilted) - hw(flat)).toBeGreaterThan(0.1);
    }
    expect(Math.abs(generatePlateScene(70, { plates: 1 }).plates[0].tiltDeg)).toBeLessThanOrEqual(5);
  });

  it('suite mixes styles and plate counts', () => {
    const suite = plateSceneSuite(10, 100, { width: 640, height: 360 });
    expect(suite.some((s) => s.plates.length === 0)).toBe(true);
    expect(suite.some((s) => s.plates.length === 2)).toBe(true);
    expect(new Set(suite.flatMap((s) => s.plates.map((p) => p.style))).size).toBe(3);
  });
});
