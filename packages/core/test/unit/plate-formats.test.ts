import { describe, expect, it } from 'vitest';
import {
  DEFAULT_PRIOR,
  expandPattern,
  FORMATS,
  formatWeight,
  matchFormats,
  matchesFixed,
  rankReadings,
  specificity,
} from '../../src/plate/formats.ts';
import { topReadings } from '../../src/plate/candidates.ts';
import { colourMarks, inferRegion, regionFromText } from '../../src/plate/regions.ts';
import { createImage } from '../../src/image/raw-image.ts';
import { chooseReading, decidePlate } from '../../src/plate/recognize-plate.ts';
import type { CtcChar } from '../../src/text/ctc.ts';

const ch = (char: string, prob: number, alts: [string, number][] = []): CtcChar => ({
  char,
  prob,
  alts: alts.map(([c, p]) => ({ char: c, prob: p })),
  frame: 0,
});
/** A confident reading of `text` with no alternatives. */
const sure = (text: string, p = 0.9) => [...text].map((c) => ch(c, p));
const regionsOf = (text: string) => new Set(matchFormats(text).map((m) => m.region));
const noMarks = { euBand: false, topBand: false };

describe('format patterns', () => {
  it('expands classes, quantifiers, optionals and literal alternatives', () => {
    const one = expandPattern({ region: 'x', pattern: 'LL NN LLL', weight: 1 });
    expect(one.map((f) => f.length)).toEqual([7]);
    expect(expandPattern({ region: 'x', pattern: 'L{1,3} N{1,2}', weight: 1 }).map((f) => f.length).sort()).toEqual([2, 3, 3, 4, 4, 5]);
    expect(expandPattern({ region: 'x', pattern: 'N [EH]?', weight: 1 }).map((f) => f.length).sort()).toEqual([1, 2]);
    // alternatives of different lengths split into layouts; capitals inside them are literal
    const alt = expandPattern({ region: 'x', pattern: '(AN|N) N', weight: 1 });
    expect(alt.map((f) => f.length).sort()).toEqual([2, 3]);
    const three = alt.find((f) => f.length === 3)!;
    expect(matchesFixed(three, 'AN5')).toBe(true);
    expect(matchesFixed(three, 'A55')).toBe(false);
    const [range] = expandPattern({ region: 'x', pattern: '[A-C1]', weight: 1 });
    expect(['A', 'B', 'C', '1', 'D'].map((c) => matchesFixed(range, c))).toEqual([true, true, true, true, false]);
    expect(() => expandPattern({ region: 'x', pattern: 'L-N', weight: 1 })).toThrow(/unexpected/);
  });

  it('every table row parses into layouts of plate length', () => {
    for (const f of FORMATS) {
      const fixed = expandPattern(f);
      expect(fixed.length, f.pattern).toBeGreaterThan(0);
      for (const x of fixed) expect(x.length, f.pattern).toBeLessThanOrEqual(11);
    }
  });

  it('scales weight by what a layout fixes: loose layouts pull less', () => {
    const [strict] = expandPattern({ region: 'x', pattern: 'LL NNN LL', weight: 1 });
    const [loose] = expandPattern({ region: 'x', pattern: 'LL A{5}', weight: 1 });
    expect(strict.weight).toBe(1);
    expect(loose.weight).toBeLessThan(0.3);
    expect(specificity(loose.chunks)).toBeGreaterThanOrEqual(0.2);
  });
});

describe('format table', () => {
  it.each([
    ['AB12CDE', 'gb'],
    ['A123BCD', 'gb'],
    ['07D65809', 'ie'],
    ['131D12345', 'ie'],
    ['BMW1234', 'de'],
    ['AB123CD', 'fr'],
    ['1969ZS83', 'fr'],
    ['AB123CD', 'it'],
    ['1234BCD', 'es'],
    ['12BDF3', 'nl'],
    ['1ABC123', 'be'],
    ['1A23456', 'cz'],
    ['ZH123456', 'ch'],
    ['ABC12D', 'se'],
    ['B123ABC', 'ro'],
    ['CJ12ABC', 'ro'],
    ['LJ12345', 'si'],
    ['CA1234AB', 'bg'],
    ['AA1234BB', 'ua'],
    ['A123BC77', 'ru'],
    ['34ABC123', 'tr'],
    ['ABC1D23', 'br'],
    ['ABC1234', 'br'],
    ['AB123CD', 'ar'],
    ['7ABC123', 'us-ca'],
    ['1AB2345', 'us-md'],
    ['AB1C2D', 'us-mo'],
    ['ABC1234', 'us-tx'],
    ['JUSTMAUI', 'us'],
    ['ABCD123', 'ca-on'],
    ['LEA1152', 'pk'],
    ['AFC396', 'pk'],
    ['HD028', 'pk'],
    ['KA05MF5055', 'in'],
    ['DL7CQ1939', 'in'],
    ['AB12CD', 'au-nsw'],
    ['S123ABC', 'au-sa'],
    ['F15687', 'ae'],
    ['6127XBJ', 'sa'],
    ['SBA1234A', 'sg'],
    ['JFC859EC', 'za'],
    ['KBN860U', 'ke'],
  ])('%s is a %s format', (text, region) => {
    expect(regionsOf(text).has(region)).toBe(true);
  });

  it('keeps the letters a country leaves out', () => {
    expect(regionsOf('IQ12ABC').has('gb')).toBe(false); // no I or Q in the memory tag
    expect(regionsOf('AO123BC').has('fr')).toBe(false); // SIV: no O
    expect(regionsOf('1234AEB').has('es')).toBe(false); // consonants only
    expect(regionsOf('ABC1234').has('gr')).toBe(false); // C is no Greek lookalike
    expect(regionsOf('ZZ05MF5055').has('in')).toBe(false); // not a state code
    expect(regionsOf('XX123456').has('ch')).toBe(false); // not a canton
  });
});

describe('format-aware re-ranking', () => {
  it('swaps a confusable character the layout rules out, keeping the reader reading as a candidate', () => {
    // UK current layout: the 4th position is a digit, the reader saw an O and listed no 0
    const chars = sure('AU1OBGX');
    // a strong prior (the from-scratch reader's setting) puts the swap first …
    const strong = { ...DEFAULT_PRIOR, gain: 1.5, confusionProb: 0.03 };
    const r = rankReadings(topReadings(chars, 10), chars, undefined, strong);
    expect(r[0].text).toBe('AU10BGX');
    expect(r[0].score).toBeCloseTo(Math.pow(0.9 ** 6 * Math.min(strong.confusionProb, strong.residual * 0.1), 1 / 7), 6);
    expect(r.map((x) => x.text)).toContain('AU1OBGX');
    // … the default tie-breaking prior keeps a sure reader's reading first, the swap next
    const d = rankReadings(topReadings(chars, 10), chars);
    expect(d[0].text).toBe('AU1OBGX');
    expect(d.map((x) => x.text)).toContain('AU10BGX');
  });

  it("uses the reader's probability for a swap it listed", () => {
    const chars = [...sure('AU1'), ch('O', 0.6, [['0', 0.3]]), ...sure('BGX')];
    const r = rankReadings([], chars);
    const fixed = r.find((x) => x.text === 'AU10BGX')!;
    expect(fixed.score).toBeCloseTo(Math.pow(0.9 ** 6 * 0.3, 1 / 7), 6);
    expect(r[0].text).toBe('AU10BGX');
  });

  it('never rejects: a reading no format fits keeps first place when nothing better exists', () => {
    const vanity = sure('MALESEVIC');
    const r = chooseReading(topReadings(vanity, 10), {}, vanity);
    expect(r?.best.text).toBe('MALESEVIC');
    const odd = sure('Q7Q7Q7Q7Q7'); // 10 characters, no layout of that length fits
    expect(chooseReading(topReadings(odd, 10), {}, odd)?.best.text).toBe('Q7Q7Q7Q7Q7');
  });

  it('does not force two unlisted swaps over a confident reading', () => {
    const chars = sure('AUIOBGX'); // would need I→1 and O→0 to be British
    expect(rankReadings(topReadings(chars, 10), chars)[0].text).toBe('AUIOBGX');
  });

  it('does not swap a character the reader is sure of on format alone', () => {
    const chars = sure('AU1OBGX', 0.999);
    expect(rankReadings(topReadings(chars, 10), chars)[0].text).toBe('AU1OBGX');
  });

  it('drops a spurious edge character when the rest fits a format', () => {
    // a frame bolt read as a leading 1 with little confidence
    const chars = [ch('1', 0.5), ...sure('AB12CDE')];
    const r = rankReadings(topReadings(chars, 10), chars);
    expect(r[0].text).toBe('AB12CDE');
    expect(r.map((x) => x.text)).toContain('1AB12CDE');
  });

  it('region hints raise their formats', () => {
    // 2 vs Z at the 5th place: US ABC1234 or Mercosul ABC1Z34
    const chars = [...sure('ABC1'), ch('2', 0.5, [['Z', 0.45]]), ...sure('34')];
    expect(rankReadings(topReadings(chars, 10), chars)[0].text).toBe('ABC1Z34');
    expect(rankReadings(topReadings(chars, 10), chars, ['us'])[0].text).toBe('ABC1234');
    expect(formatWeight('ABC1234', ['us'])).toBeGreaterThan(formatWeight('ABC1234'));
  });

  it("the plate's look raises its country's formats like a soft hint; a hint still wins", () => {
    // 1 vs I first: a loose US layout (1HF5132) or Brazil's LLL NNNN (IHF5132)
    const chars = [ch('1', 0.55, [['I', 0.4]]), ...sure('HF5132')];
    const readings = topReadings(chars, 10);
    expect(rankReadings(readings, chars)[0].text).toBe('1HF5132');
    const looksBrazilian = new Map([['br', 0.95], ['us', 0.03], ['other', 0.02]]);
    expect(rankReadings(readings, chars, undefined, DEFAULT_PRIOR, looksBrazilian)[0].text).toBe('IHF5132');
    // an unsure look raises less than a hint; a sure one about as much; others' formats barely move
    const plain = formatWeight('IHF5132');
    const unsure = formatWeight('IHF5132', undefined, new Map([['br', 0.1]]));
    expect(unsure).toBeGreaterThanOrEqual(plain);
    expect(unsure).toBeLessThan(formatWeight('IHF5132', undefined, looksBrazilian));
    expect(formatWeight('IHF5132', undefined, looksBrazilian)).toBeLessThanOrEqual(formatWeight('IHF5132', ['br']));
    expect(formatWeight('1HF5132', undefined, looksBrazilian)).toBeLessThanOrEqual(formatWeight('1HF5132') * 1.06 + 1e-9);
    expect(rankReadings(readings, chars, ['us'], DEFAULT_PRIOR, looksBrazilian)[0].text).toBe('1HF5132');
  });

  it('returns distinct strings, best first, at most maxCandidates from the pipeline step', () => {
    const chars = [ch('A', 0.9, [['4', 0.08]]), ch('B', 0.6, [['8', 0.35]]), ...sure('12'), ch('C', 0.7, [['G', 0.2]]), ...sure('DE')];
    const d = decidePlate(chars, noMarks, { maxCandidates: 3 })!;
    const texts = d.ranked.map((r) => r.text);
    expect(new Set(texts).size).toBe(texts.length);
    expect(d.best.text).toBe('AB12CDE');
    expect(d.region?.code).toBe('gb');
  });

  it('textFormats still filter the candidates, format variants included', () => {
    const chars = sure('AU1OBGX');
    const r = chooseReading(topReadings(chars, 10), { textFormats: ['^[a-z]{2}[0-9]{2}[a-z]{3}$'] }, chars);
    expect(r?.ranked.map((x) => x.text)).toEqual(['AU10BGX']);
    expect(chooseReading(topReadings(chars, 10), { textFormats: ['^[0-9]+$'] }, chars)).toBeNull();
  });
});

describe('region decision', () => {
  it('names a state only when its layout is distinctive', () => {
    expect(inferRegion('7ABC123', noMarks)?.code).toBe('us-ca');
    expect(inferRegion('ABC1234', noMarks)?.code).toBe('us'); // TX, NY, PA, OH, … share it
    expect(inferRegion('ABC1234', noMarks, ['us-tx'])?.code).toBe('us-tx');
    // no national format: a US vanity plate is the likeliest, with a low score
    expect(inferRegion('QWERTY', noMarks)).toEqual({ code: 'us', score: expect.any(Number) });
    expect(inferRegion('QWERTY', noMarks)!.score).toBeLessThan(0.9);
    expect(inferRegion('QWERTY', noMarks, ['us-hi'])?.code).toBe('us-hi');
    expect(inferRegion('QWERTY', { euBand: true, topBand: false })?.code).toBe('eu');
    expect(inferRegion('Q', noMarks)).toBeUndefined();
  });

  it('weighs the look of the plate (the region output of the reader) against formats many countries share', () => {
    const looks = (m: Record<string, number>) => new Map(Object.entries(m));
    const pk = looks({ pk: 0.9, us: 0.05, gb: 0.03, other: 0.02 });
    // ABC1234 fits a dozen US states, Germany, Brazil and Pakistan: the look decides
    expect(inferRegion('LEE8026', noMarks)?.code).toBe('us');
    expect(inferRegion('LEE8026', noMarks, undefined, undefined, undefined, pk)?.code).toBe('pk');
    expect(inferRegion('LEE8026', noMarks, undefined, undefined, undefined, looks({ us: 0.6, gb: 0.3, pk: 0.05, other: 0.05 }))?.code).toBe('us');
    // a distinctive format still beats an unsure look, and a hint still rules
    expect(inferRegion('AB12CDE', noMarks, undefined, undefined, undefined, looks({ us: 0.6, gb: 0.3, other: 0.1 }))?.code).toBe('gb');
    expect(inferRegion('LEE8026', noMarks, ['us'], undefined, undefined, pk)?.code).toBe('us');
    // a country only the look names (no format fits) is named when the look is sure
    expect(inferRegion('Q', noMarks, undefined, undefined, undefined, looks({ jp: 0.95, other: 0.05 }))?.code).toBe('jp');
    // an unsure look is a guess whose score says so; a look under 0.15 names nothing, nor does a hint's absence of fit
    expect(inferRegion('Q', noMarks, undefined, undefined, undefined, looks({ jp: 0.3, kr: 0.25, other: 0.45 }))).toEqual({ code: 'jp', score: 0.3 });
    expect(inferRegion('Q', noMarks, undefined, undefined, undefined, looks({ jp: 0.1, kr: 0.1, other: 0.8 }))).toBeUndefined();
    expect(inferRegion('Q', noMarks, ['fr'], undefined, undefined, looks({ jp: 0.3, kr: 0.25, other: 0.45 }))).toBeUndefined();
  });

  it('weighs colour marks: the EU band, the Mercosur top band', () => {
    expect(inferRegion('AB12CDE', { euBand: true, topBand: false })?.code).toBe('gb');
    expect(inferRegion('ABC123', noMarks)?.code).toBe('pk');
    expect(inferRegion('AB123CD', { euBand: false, topBand: true })?.code).toBe('ar'); // Mercosur, not fr/it
    expect(inferRegion('AB123CD', { euBand: true, topBand: false })?.code).not.toBe('ar');
    expect(inferRegion('ABC1234', { euBand: true, topBand: false })?.code).toBe('de'); // not us
    expect(inferRegion('ABC1D23', { euBand: false, topBand: true })?.code).toBe('br');
    expect(inferRegion('1ABC123', { euBand: true, topBand: false })?.code).toBe('be');
  });

  it('takes a grey-scale crop as no colour evidence, not as a missing band', () => {
    const grey = createImage(100, 40);
    grey.data.fill(128);
    expect(colourMarks(grey)).toBeNull();
    // Mercosur layout in an IR picture: no top-band penalty
    expect(inferRegion('AB123CD', colourMarks(grey))?.code).toBe(inferRegion('AB123CD', null)?.code);
  });

  it.each([
    ['07D65809', 'ie'],
    ['KA05MF5055', 'in'],
    ['T305XB59', 'ru'],
    ['34HR7537', 'tr'],
    ['ZH123456', 'ch'],
    ['JFC859EC', 'za'],
    ['6127XBJ', 'sa'],
  ])('%s → %s from a distinctive format', (text, code) => {
    expect(inferRegion(text, noMarks)?.code).toBe(code);
  });
});

describe('region from words on the plate', () => {
  it.each([
    ['WASHINGTON', 'us-wa'],
    ['Washingt0n', 'us-wa'], // one OCR slip
    ['WASHINGTON DC', 'us-dc'],
    ['West Virginia', 'us-wv'],
    ['virginia is for lovers', 'us-va'],
    ['Sunshine State', 'us-fl'],
    ['NEW YORK', 'us-ny'],
    ['ICT-Islamabad', 'pk'],
    ['Je me souviens', 'ca-qc'],
    ['IOWA', 'us-ia'],
  ])('%s → %s', (words, code) => {
    expect(regionFromText(words)).toBe(code);
  });

  it('needs a close match: short names exactly, no guess from registrations', () => {
    expect(regionFromText('ABC1234')).toBeUndefined();
    expect(regionFromText('IOWX')).toBeUndefined();
    expect(regionFromText('WSHNGTN')).toBeUndefined(); // three edits
    expect(regionFromText('')).toBeUndefined();
  });

  it('outranks the layout in the region decision, unless a hint rules it out', () => {
    // ABC1234 alone says 'us'; a Florida layout would say us-fl
    expect(inferRegion('ABC1234', noMarks, undefined, 'WASHINGTON')).toEqual({ code: 'us-wa', score: 0.9 });
    expect(inferRegion('ABC1D23', noMarks, undefined, 'EVERGREEN STATE')?.code).toBe('us-wa');
    expect(inferRegion('ABC1234', noMarks, ['br'], 'WASHINGTON')?.code).toBe('br');
    expect(inferRegion('ABC1234', noMarks, ['us'], 'WASHINGTON')?.code).toBe('us-wa');
    expect(decidePlate(sure('ABC1234'), noMarks, {}, 'Evergreen State')?.region?.code).toBe('us-wa');
  });
});
