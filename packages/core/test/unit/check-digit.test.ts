import { describe, expect, it } from 'vitest';
import {
  computeCheckDigit,
  hasCheckDigit,
  isCheckDigitValid,
  isVinSyntax,
  transliterateVinChar,
} from '../../src/vin/check-digit.ts';

describe('VIN check digit (49 CFR 565)', () => {
  it.each([
    ['1HGCM82633A004352', '3'],
    ['11111111111111111', '1'],
    ['1M8GDM9AXKP042788', 'X'], // remainder 10 → 'X'
    ['LSGPC52U9AF102554', '6'],
  ])('%s → %s', (vin, check) => {
    expect(computeCheckDigit(vin)).toBe(check);
  });

  it('validates and rejects', () => {
    expect(isCheckDigitValid('1HGCM82633A004352')).toBe(true);
    expect(isCheckDigitValid('1HGCM82643A004352')).toBe(false);
    expect(isCheckDigitValid('1M8GDM9AXKP042788')).toBe(true);
  });

  it('applies only to North-American (1–5) and Chinese (L) VINs', () => {
    expect(hasCheckDigit('1HGCM82633A004352')).toBe(true);
    expect(hasCheckDigit('LSGPC52U9AF102554')).toBe(true);
    expect(hasCheckDigit('WVWZZZ1JZXW000001')).toBe(false);
    expect(hasCheckDigit('JHMCM56557C404453')).toBe(false);
  });

  it('syntax excludes I, O, Q and wrong lengths', () => {
    expect(isVinSyntax('1HGCM82633A004352')).toBe(true);
    expect(isVinSyntax('1HGCM82633AO04352')).toBe(false);
    expect(isVinSyntax('1HGCM82633A00435')).toBe(false);
  });

  it('transliterates I→1 and O/Q→0', () => {
    expect(['I', 'O', 'Q', 'i', 'o', 'A'].map(transliterateVinChar).join('')).toBe('1001' + '0A');
  });
});
