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

  it('suite mixes styles and plate counts', () => {
    const suite = plateSceneSuite(10, 100, { width: 640, height: 360 });
    expect(suite.some((s) => s.plates.length === 0)).toBe(true);
    expect(suite.some((s) => s.plates.length === 2)).toBe(true);
    expect(new Set(suite.flatMap((s) => s.plates.map((p) => p.style))).size).toBe(3);
  });
});
