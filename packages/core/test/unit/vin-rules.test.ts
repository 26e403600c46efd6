import { describe, expect, it } from 'vitest';
import { computeCheckDigit } from '../../src/vin/check-digit.ts';
import { allowedAt, passesRules, regionOfWmi, rulesForRegion, ruleViolations } from '../../src/vin/regions.ts';
import { choices, repairUnderRules, type Slot } from '../../src/vin/repair.ts';
import { extractVins } from '../../src/vin/extract.ts';
import type { ReadChar, ReadLine } from '../../src/text/recognize-text.ts';

/** Slots read confidently as `text`, with optional alternatives per position. */
function slots(text: string, alts: Record<number, { char: string; prob: number }[]> = {}, prob = 0.95): Slot[] {
  return [...text].map((ch, i) => ({ ch, prob: alts[i] ? Math.min(prob, 0.6) : prob, alts: alts[i] ?? [] }));
}

function line(text: string, alts: Record<number, { char: string; prob: number }[]> = {}, y = 100): ReadLine {
  const chars: ReadChar[] = [...text].map((ch, i) => ({
    char: ch,
    prob: alts[i] ? 0.6 : 0.95,
    alts: alts[i] ?? [],
    frame: i,
    corners: [{ x: 10 * i, y }, { x: 10 * i + 8, y }, { x: 10 * i + 8, y: y + 20 }, { x: 10 * i, y: y + 20 }],
  }));
  return { quad: [{ x: 0, y }, { x: 10 * text.length, y }, { x: 10 * text.length, y: y + 20 }, { x: 0, y: y + 20 }], chars, text };
}

describe('region rules', () => {
  it('infers the rules from the WMI: North America, EU, Turkey, Germany, China, others', () => {
    expect(regionOfWmi('1HGCM82633A004352')).toBe('us');
    expect(regionOfWmi('2T1BU4EE9DC000001')).toBe('ca');
    expect(regionOfWmi('3VWFE21C04M000001')).toBe('mx');
    expect(regionOfWmi('VF1RFB00X56000001')).toBe('fr');
    expect(regionOfWmi('NM0LS7E7XE1000001')).toBe('tr');
    expect(regionOfWmi('WVWZZZ1JZXW000001')).toBe('de');
    expect(regionOfWmi('LSGPC52U9AF102554')).toBe('cn');
    expect(regionOfWmi('JHMCM56557C404453')).toBe('other');
    expect(rulesForRegion('fr')).toMatchObject({ checkDigit: false, ninthDigitOrX: true, lastFourDigits: true, modelYear: false });
    expect(rulesForRegion('tr')).toMatchObject({ ninthDigitOrX: true, lastFourDigits: true });
    expect(rulesForRegion('de')).toMatchObject({ checkDigit: false, ninthDigitOrX: false, lastFourDigits: false });
    expect(rulesForRegion('cn')).toMatchObject({ checkDigit: true, ninthDigitOrX: false });
    expect(rulesForRegion('jp')).toMatchObject({ checkDigit: false, ninthDigitOrX: false, modelYear: false, lastFourDigits: false });
  });

  it('names each rule a VIN breaks', () => {
    const us = rulesForRegion('us');
    expect(ruleViolations('1HGCM82633A004352', us)).toEqual([]);
    expect(ruleViolations('1HGCM82643A004352', us)).toEqual(['check-digit']);
    // SACRAMENT0CA12711: 9th character a letter, no model year 'A'… it breaks the US rules
    expect(ruleViolations('1ACRAMENT0CA12711', us)).toEqual(expect.arrayContaining(['ninth', 'check-digit']));
    const x = '1HGCM8263' + 'U' + 'A004352';
    expect(ruleViolations(x.slice(0, 8) + computeCheckDigit(x) + x.slice(9), us)).toEqual(['model-year']);
    expect(ruleViolations('VF1RFB00X560000A1', rulesForRegion('fr'))).toEqual(['last-four']);
    expect(ruleViolations('VF1RFB00C56000001', rulesForRegion('fr'))).toEqual(['ninth']);
    expect(ruleViolations('WVWZZZ1JZXW00000I', rulesForRegion('de'))).toEqual(['syntax']);
  });

  it('holds a reading to the regions asked for (any one passing), else to its WMI', () => {
    const ger = 'WVWZZZ1JZXW000001'; // 9th 'Z'
    expect(passesRules(ger)).toBe(true);
    expect(passesRules(ger, ['fr'])).toBe(false);
    expect(passesRules(ger, ['fr', 'de'])).toBe(true);
    expect(passesRules('1HGCM82643A004352')).toBe(false);
    expect(passesRules('1HGCM82643A004352', ['de'])).toBe(true);
  });

  it('says which characters each position may hold', () => {
    const us = rulesForRegion('us');
    expect(allowedAt(8, us)).toBe('0123456789X');
    expect(allowedAt(9, us)).not.toMatch(/[UZ0]/);
    expect(allowedAt(15, us)).toBe('0123456789');
    expect(allowedAt(15, rulesForRegion('jp'))).toContain('A');
  });
});

describe('rule-aware repair', () => {
  it('offers stamped look-alikes the recogniser did not propose, at a small prior', () => {
    const c = choices({ ch: 'U', prob: 0.9, alts: [{ char: 'W', prob: 0.05 }] });
    expect(c.map((x) => x.char)).toEqual(['U', 'W', 'V']);
    expect(c[2].proposed).toBe(false);
  });

  it('meets positional rules with look-alikes: 9th digit, model-year code, last four digits', () => {
    // 1HGCM82633A004352 read with S for 5 (last four), U for V (model year would be V)… here:
    // serial '4352' read as '43S2' and the check digit still holds once S→5
    const [r] = repairUnderRules(slots('1HGCM82633A0043S2'));
    expect(r.vin).toBe('1HGCM82633A004352');
    expect(r.changed).toEqual([15]);
    // a French VIN with 9th 'S': 5 is the only digit within reach
    const [f] = repairUnderRules(slots('VF1RFB00S56000001'));
    expect(f.vin).toBe('VF1RFB00556000001');
  });

  it('repairs the check digit with the cheapest substitution, preferring the recogniser’s own alternatives', () => {
    const [r] = repairUnderRules(slots('1HGCN82633A004352', { 4: [{ char: 'M', prob: 0.3 }] }));
    expect(r.vin).toBe('1HGCM82633A004352');
    // V read as U (stamped): a look-alike the model did not propose still validates
    const vin = '1FTFW1E5' + 'X' + 'VFA00001';
    const good = vin.slice(0, 8) + computeCheckDigit(vin) + vin.slice(9);
    const misread = good.slice(0, 9) + 'U' + good.slice(10);
    expect(repairUnderRules(slots(misread)).map((x) => x.vin)).toContain(good);
  });

  it('changes the WMI towards other rules only when the recogniser hesitated and vPIC lists the result', () => {
    expect(repairUnderRules(slots('ZT1P99XW9XV666698', { 0: [{ char: '2', prob: 0.3 }] })).map((r) => r.vin)).toContain('2T1P99XW9XV666698');
    // '2AR' is no WMI vPIC lists: no switch to the Canadian rules
    expect(repairUnderRules(slots('ZAR4P41278G871778', { 0: [{ char: '2', prob: 0.3 }] })).map((r) => r.vin)).toEqual(['ZAR4P41278G871778']);
  });

  it('gives up (no reading) when nothing within reach passes', () => {
    expect(repairUnderRules(slots('1HGCN82633A0043K2'))).toEqual([]);
    expect(repairUnderRules(slots('VF1RFB00K56000001'))).toEqual([]);
  });
});

describe('no candidate breaks its rules (extraction)', () => {
  it('marks SACRAMENT0CA12711-like junk as rule-breaking under US rules, a valid VIN beside it passes', () => {
    const c = extractVins([line('1ACRAMENT0CA12711', {}, 10), line('1HGCM82633A004352', {}, 60)]);
    const junk = c.find((x) => x.vin === '1ACRAMENT0CA12711');
    expect(junk?.rulesOk).toBe(false);
    expect(junk!.confidence).toBeLessThan(0.5);
    expect(c.filter((x) => x.rulesOk).map((x) => x.vin)).toEqual(['1HGCM82633A004352']);
  });

  it('a distractor line that passes the check digit by chance still breaks the model-year / last-four rules', () => {
    // valid check digit, but position 10 'U' and a letter in the last four
    const base = '4T1BF1FK' + '0' + 'UU51234A';
    const lucky = base.slice(0, 8) + computeCheckDigit(base) + base.slice(9);
    const c = extractVins([line(lucky, {}, 10), line('VIN 1HGCM82633A004352', {}, 60)]);
    expect(c.find((x) => x.vin === lucky)?.rulesOk ?? false).toBe(false);
    expect(c.filter((x) => x.rulesOk)[0].vin).toBe('1HGCM82633A004352');
  });

  it('restores a glyph read twice (18 characters) when the check digit confirms it', () => {
    const c = extractVins([line('1HGCM826333A004352')]);
    expect(c.map((x) => x.vin)).toContain('1HGCM82633A004352');
  });

  it('holds readings to the regions asked for', () => {
    const ger = line('WVWZZZ1JKXW000001'); // 9th 'K': fine in Germany, no digit looks like it
    expect(extractVins([ger])[0].rulesOk).toBe(true);
    expect(extractVins([ger], ['fr']).some((x) => x.rulesOk)).toBe(false);
    // 9th 'Z' under the French rules: its look-alike '2' is within reach
    expect(extractVins([line('WVWZZZ1JZXW000001')], ['fr']).find((x) => x.rulesOk)?.vin).toBe('WVWZZZ1J2XW000001');
  });
});

describe('other numbers on stickers', () => {
  it('never answers a serial, part or lot number line, even when it passes the rules', () => {
    for (const label of ['SER NO. ', 'PART NO ', 'S/N ', 'LOT ']) {
      const c = extractVins([line(`${label}JHMCM56557C404453`)]);
      expect(c.some((x) => x.rulesOk), label).toBe(false);
    }
    expect(extractVins([line('JHMCM56557C404453')])[0].rulesOk).toBe(true);
  });
});

describe('the label inside a window', () => {
  it('never answers a window that holds the word VIN (a shifted window through the label)', () => {
    const c = extractVins([line('RVIN3FAFLT5P9JC98')]);
    expect(c.some((x) => x.rulesOk)).toBe(false);
  });
});
