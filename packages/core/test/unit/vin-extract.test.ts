import { describe, expect, it } from 'vitest';
import { extractVins } from '../../src/vin/extract.ts';
import { longestRun } from '../../src/vin/read-vin.ts';
import type { ReadChar, ReadLine } from '../../src/text/recognize-text.ts';

/** A recognised line laid out left→right at row y, 10 px per character. */
function line(text: string, opts: { y?: number; prob?: number; alts?: Record<number, { char: string; prob: number }[]> } = {}): ReadLine {
  const y = opts.y ?? 100;
  const chars: ReadChar[] = [...text].map((ch, i) => ({
    char: ch.toUpperCase(),
    lower: ch !== ch.toUpperCase(),
    prob: opts.prob ?? 0.95,
    alts: opts.alts?.[i] ?? [],
    frame: i,
    corners: [
      { x: 10 * i, y },
      { x: 10 * i + 8, y },
      { x: 10 * i + 8, y: y + 20 },
      { x: 10 * i, y: y + 20 },
    ],
  }));
  const quad = [
    { x: 0, y },
    { x: 10 * text.length, y },
    { x: 10 * text.length, y: y + 20 },
    { x: 0, y: y + 20 },
  ];
  return { quad, chars, text };
}

describe('VIN extraction from OCR lines', () => {
  it('never answers a serial number, with its "S/N" label read as S-N, SN or ISN (generated sticker 8031: "E-- ISN G3E0…")', () => {
    for (const label of ['S/N', 'S-N', 'SN', 'ISN', 'E-- ISN']) {
      const [c] = extractVins([line(`${label} G3E0Z652ZZ28096DA`)]);
      expect(c?.rulesOk ?? false, label).toBe(false);
    }
    // "SN" inside a word or a VIN is no label
    expect(extractVins([line('VIN WVWSN11J5XW123456')])[0].vin).toBe('WVWSN11J5XW123456');
  });

  it('answers no window that starts inside a glued "VIN" label (a Volvo VIN with its last glyph lost)', () => {
    // YV1AYVYY8Y6046118 read "VINYV1AYVYY8Y604611": 19 characters, so "NYV1AYVYY8Y604611" fits 17
    const c = extractVins([line('VINYV1AYVYY8Y604611')]);
    expect(c.filter((x) => x.rulesOk).map((x) => x.vin)).not.toContain('NYV1AYVYY8Y604611');
    expect(c.filter((x) => x.rulesOk).map((x) => x.vin)).not.toContain('INYV1AYVYY8Y60461');
  });

  it('finds a glued "VIN" label after other words of the line, and reads the VIN after it as labelled', () => {
    // one alnum run spans the line's spaces: the label is not at the run's start
    const cut = extractVins([line('VEHICLE IDENTIFICATION NUMBER VINYV1AYVYY8Y604611')]);
    expect(cut.filter((x) => x.rulesOk).map((x) => x.vin)).not.toContain('NYV1AYVYY8Y604611');
    const whole = extractVins([line('VEHICLE IDENTIFICATION NUMBER VINYV1AYVYY8Y6046118')]);
    expect(whole[0]).toMatchObject({ vin: 'YV1AYVYY8Y6046118', labelled: true, rulesOk: true });
  });

  it('reads a glued "V1N" (I read as 1) as the label', () => {
    expect(extractVins([line('V1NKMH8FNEAMHZ580288')])[0].vin).toBe('KMH8FNEAMHZ580288');
  });

  it('restores a North-American first digit read as a letter when the recogniser hesitated and the check digit then holds', () => {
    // 2T1P99XW9XV666698 is valid; "Z" read first, "2" a strong second guess
    const [c] = extractVins([line('ZT1P99XW9XV666698', { alts: { 0: [{ char: '2', prob: 0.3 }] } })]);
    expect(c.vin).toBe('2T1P99XW9XV666698');
    expect(c.checkDigit).toBe('repaired');
    // a European VIN stays as read when the alternative is only a faint guess
    expect(extractVins([line('ZT1P99XW9XV666698', { alts: { 0: [{ char: '2', prob: 0.05 }] } })])[0].vin).toBe('ZT1P99XW9XV666698');
  });

  it('ranks a rating line read without its spaces below a real (check-digit-free) VIN', () => {
    const c = extractVins([line('GAWRFRT1196KG2637', { y: 10 }), line('SALXBVVA6NNZR5844', { y: 60, prob: 0.9 })]);
    expect(c[0].vin).toBe('SALXBVVA6NNZR5844');
    expect(c.find((x) => x.vin === 'GAWRFRT1196KG2637')!.rank).toBeLessThan(c[0].rank - 0.3);
  });

  it('never answers a registration document field read as 17 characters', () => {
    // "REGISTRATION 12052019" read without its spaces and its I's: 17 VIN-syntax characters
    const c = extractVins([line('REGSTAT0N12052019')]);
    expect(c.filter((x) => x.rulesOk).map((x) => x.vin)).toEqual([]);
  });

  it('finds a VIN behind a glued label and gives its own box', () => {
    const [c] = extractVins([line('VIN:1HGCM82633A004352')]);
    expect(c.vin).toBe('1HGCM82633A004352');
    expect(c.checkDigit).toBe('valid');
    expect(c.box.xmin).toBe(40); // starts after "VIN:"
    expect(c.box.xmax).toBe(208);
  });

  it('joins groups split by spaces and strips a glued "VIN" prefix', () => {
    expect(extractVins([line('VIN1HG CM826 33A004352')])[0].vin).toBe('1HGCM82633A004352');
  });

  it('maps I→1 and O/Q→0', () => {
    expect(extractVins([line('IHGCM82633AOO4352')])[0].vin).toBe('1HGCM82633A004352');
  });

  it('repairs one doubtful character from the next-best guesses when that validates the check digit', () => {
    // position 4 misread as 'N' (should be 'M'); the recogniser's second guess is 'M'
    const [c] = extractVins([line('1HGCN82633A004352', { alts: { 4: [{ char: 'M', prob: 0.2 }] } })]);
    expect(c.vin).toBe('1HGCM82633A004352');
    expect(c.checkDigit).toBe('repaired');
    expect(c.confidence).toBeLessThan(0.95);
  });

  it('does not invent a repair without recogniser evidence', () => {
    const [c] = extractVins([line('1HGCN82633A004352')]);
    expect(c.vin).toBe('1HGCN82633A004352');
    expect(c.checkDigit).toBe('invalid');
    expect(c.confidence).toBeLessThan(0.5);
  });

  it('ranks the check-digit-valid VIN above a look-alike part number', () => {
    // the part number is read more confidently but fails the check digit
    const cands = extractVins([line('4T1BF1FK7CU512349', { y: 50 }), line('1HGCM82633A004352', { y: 150, prob: 0.9 })]);
    expect(cands.map((c) => c.vin)).toEqual(['1HGCM82633A004352', '4T1BF1FK7CU512349']);
  });

  it('prefers the labelled line when a distractor passes the check digit by chance', () => {
    const cands = extractVins([line('4T1BF1FK5CU512349', { y: 50 }), line('VIN 1HGCM82633A004352', { y: 150, prob: 0.9 })]);
    expect(cands[0].vin).toBe('1HGCM82633A004352');
  });

  it('joins a VIN the detector split into two boxes on one row', () => {
    const a = line('1HGCM826');
    const b = line('33A004352');
    // move b to the right of a, same row
    b.chars.forEach((c) => c.corners.forEach((p) => (p.x += 100)));
    b.quad.forEach((p) => (p.x += 100));
    expect(extractVins([a, b]).map((c) => c.vin)).toContain('1HGCM82633A004352');
  });

  it('keeps a misread North-American VIN whole rather than a shifted window through the label', () => {
    // check digit wrong (misread) and no alternatives: still the labelled, whole token
    // (repaired under the rules through a stamped look-alike, H→M, at a lowered confidence)
    const [c] = extractVins([line('VIN 5YJSA1E14HF000006')]);
    expect(c.vin).toMatch(/^5YJSA1E14[A-Z0-9]F000006$/);
    expect(c.rulesOk).toBe(true);
    expect(c.confidence).toBeLessThan(0.9);
  });

  it('restores a doubled character that CTC collapsed when the check digit confirms it', () => {
    // 1M8GDM9AXKP042788 read with "88" collapsed
    const cands = extractVins([line('1M8GDM9AXKP04278')]);
    expect(cands.map((c) => c.vin)).toContain('1M8GDM9AXKP042788');
    expect(cands[0].confidence).toBeLessThan(0.8);
  });

  it('ranks a capitalised VIN above running lower-case text that folds into VIN characters', () => {
    const cands = extractVins([line('inanyregistration', { y: 50, prob: 0.99 }), line('WVWZZZ1JZXW000001', { y: 150, prob: 0.9 })]);
    expect(cands[0].vin).toBe('WVWZZZ1JZXW000001');
  });

  it('rejects capitalised running text that only becomes VIN-like through O→0', () => {
    expect(extractVins([line('MFD BY VOLKSWAGEN AG')])).toEqual([]);
  });

  it('returns nothing for lines without 17 VIN characters', () => {
    expect(extractVins([line('GVWR 2150 KG'), line('MFD BY HONDA 05/19')])).toEqual([]);
  });
});

describe('which lines PP-OCR reads after the fast reader (longestRun)', () => {
  it('counts a VIN-long run, spaces between groups ignored', () => {
    expect(longestRun('VIN: 1HGCM82633A004352')).toBe(17);
    expect(longestRun('1HG CM826 33A004352', 3)).toBe(17);
  });
  it('with a digit minimum, long lines of words count nothing', () => {
    expect(longestRun('DATE OF FIRST REGISTRATION', 3)).toBe(0);
    expect(longestRun('ENGINE CAPACITY CM3', 3)).toBe(0);
    expect(longestRun('DATE OF FIRST REGISTRATION')).toBeGreaterThan(17);
  });
});
