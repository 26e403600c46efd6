import { describe, expect, it } from 'vitest';
import { decodeVin, modelYearCandidates } from '../../src/vin/decode.ts';
import { lookupWmi } from '../../src/vin/wmi/index.ts';
import { COUNTRIES, MANUFACTURERS, WMI_CODES } from '../../src/vin/wmi/wmi-data.ts';
import * as browserEntry from '../../src/index.ts';
import * as nodeEntry from '../../src/node.ts';

const NOW = { now: new Date('2026-06-01T00:00:00Z') };

describe('WMI table (NHTSA vPIC)', () => {
  it('is the generated vPIC subset: sorted 3-character WMIs, manufacturer and country names', () => {
    expect(WMI_CODES.length % 3).toBe(0);
    expect(WMI_CODES.length / 3).toBeGreaterThan(3000);
    const codes = WMI_CODES.match(/.{3}/g)!;
    expect([...codes].sort()).toEqual(codes);
    expect(new Set(codes).size).toBe(codes.length);
    expect(MANUFACTURERS.length).toBeGreaterThan(2000);
    expect(COUNTRIES).toContain('GERMANY');
  });

  it('looks WMIs up, and infers the country of an unlisted one from its first two characters', () => {
    expect(lookupWmi('1HGCM82633A004352')).toEqual({ wmi: '1HG', manufacturer: 'AMERICAN HONDA MOTOR CO., INC.', country: 'UNITED STATES (USA)', countrySource: 'table' });
    expect(lookupWmi('WVW')).toMatchObject({ manufacturer: 'VOLKSWAGEN AG', country: 'GERMANY' });
    expect(lookupWmi('LSV')).toMatchObject({ manufacturer: null, country: 'CHINA', countrySource: 'inferred' });
  });
});

describe('decodeVin', () => {
  it('decodes a North-American VIN: maker, country, check digit, model year by position 7, plant, serial', () => {
    const d = decodeVin('1HGCM82633A004352', NOW);
    expect(d).toMatchObject({
      wmi: '1HG',
      manufacturer: 'AMERICAN HONDA MOTOR CO., INC.',
      country: 'UNITED STATES (USA)',
      region: 'us',
      vds: 'CM826',
      checkDigit: { value: '3', expected: '3', status: 'valid' },
      modelYear: { code: '3', candidates: [2003], likely: 2003 },
      plant: 'A',
      serial: '004352',
      ruleViolations: [],
    });
    expect(d.source).toMatch(/vPIC/);
  });

  it('uses the 30-year cycle, with position 7 choosing it for North America', () => {
    expect(modelYearCandidates('A', 2027)).toEqual([1980, 2010]);
    expect(modelYearCandidates('Y', 2027)).toEqual([2000]);
    expect(modelYearCandidates('U', 2027)).toEqual([]);
    // 5YJSA1E14HF000006-like: position 7 'E' is a letter → 2010–2039 cycle
    const x = decodeVin('5YJSA1E11HF000001', NOW);
    expect(x.modelYear).toMatchObject({ code: 'H', candidates: [1987, 2017], likely: 2017 });
    // position 7 a digit → 1980–2009
    expect(decodeVin('1G1JC5249R7000001', NOW).modelYear).toMatchObject({ code: 'R', candidates: [1994, 2024], likely: 1994 });
    // outside North America: the latest
    expect(decodeVin('WVWZZZ1JZ3W000001', NOW).modelYear.likely).toBe(2003);
    expect(decodeVin('WVWZZZ1JZAW000001', NOW).modelYear.likely).toBe(2010);
  });

  it('reports a wrong check digit as invalid where the region requires one, not-required elsewhere', () => {
    expect(decodeVin('1HGCM82643A004352', NOW).checkDigit.status).toBe('invalid');
    expect(decodeVin('1HGCM82643A004352', NOW).ruleViolations).toContain('check-digit');
    const de = decodeVin('WVWZZZ1JZXW000001', NOW);
    expect(de).toMatchObject({ region: 'de', manufacturer: 'VOLKSWAGEN AG', country: 'GERMANY' });
    expect(de.checkDigit.status).toBe('not-required');
  });

  it('normalises case, spaces and dashes; refuses anything that is not a VIN with a typed 400', () => {
    expect(decodeVin(' 1hg cm826-33a004352 ').vin).toBe('1HGCM82633A004352');
    expect(() => decodeVin('1HGCM82633A00435')).toThrow(expect.objectContaining({ status: 400, message: expect.stringMatching(/17 characters/) }));
    expect(() => decodeVin('1HGCM82633AO04352')).toThrow(expect.objectContaining({ status: 400, message: expect.stringMatching(/'O'/) }));
    expect(() => decodeVin(42 as unknown as string)).toThrow(expect.objectContaining({ status: 400 }));
  });

  it('is exported from both entries, with toPlateRecognizerVin', () => {
    for (const e of [browserEntry, nodeEntry] as Record<string, unknown>[]) {
      expect(typeof e.decodeVin).toBe('function');
      expect(typeof e.toPlateRecognizerVin).toBe('function');
    }
  });
});
