/**
 * Offline VIN decoding (no network): WMI → manufacturer and country (NHTSA vPIC table, see
 * wmi/README.md), model-year candidates from position 10, check-digit status, plant code
 * and serial, and which region rules the VIN meets.
 */
import { PlateLensError } from '../errors.ts';
import { computeCheckDigit, isVinSyntax, MODEL_YEAR_CHARS, VIN_ALPHABET, VIN_LENGTH } from './check-digit.ts';
import { regionOfWmi, rulesForRegion, ruleViolations, type RuleViolation } from './regions.ts';
import { lookupWmi, WMI_SOURCE } from './wmi/index.ts';

export interface DecodedVin {
  vin: string;
  /** World manufacturer identifier (positions 1–3). */
  wmi: string;
  manufacturer: string | null;
  country: string | null;
  /** 'table': vPIC lists the WMI; 'inferred': from WMIs with the same first two characters. */
  countrySource: 'table' | 'inferred' | null;
  /** Region whose rules the WMI implies ('us', 'ca', 'mx', 'cn', 'de', 'tr', an EU member code, 'other'). */
  region: string;
  /** Vehicle descriptor section (positions 4–8). */
  vds: string;
  checkDigit: {
    /** Position 9 as written. */
    value: string;
    /** What the 49 CFR 565 computation gives. */
    expected: string;
    /** 'not-required': the region does not use one and position 9 does not match it. */
    status: 'valid' | 'invalid' | 'not-required';
  };
  modelYear: {
    /** Position 10. */
    code: string;
    /** Years the code stands for (30-year cycle from 1980), oldest first, none after next year. */
    candidates: number[];
    /**
     * The likeliest: for North-American VINs position 7 decides the cycle (a digit: 1980–2009,
     * a letter: 2010–2039; 49 CFR 565.15); otherwise the latest candidate. Null for a code
     * that is not a model year (0, I, O, Q, U, Z).
     */
    likely: number | null;
  };
  /** Assembly plant (position 11). */
  plant: string;
  /** Production sequence (positions 12–17). */
  serial: string;
  /** Region rules the VIN breaks (empty: none). */
  ruleViolations: RuleViolation[];
  /** Where the WMI facts come from. */
  source: string;
}

const invalidVin = (why: string) => new PlateLensError(400, 'INVALID_OPTIONS', `Invalid VIN: ${why}`);

/** Model years a position-10 code stands for, up to `maxYear`. */
export function modelYearCandidates(code: string, maxYear: number): number[] {
  const i = MODEL_YEAR_CHARS.indexOf(code);
  if (i < 0) return [];
  const out: number[] = [];
  for (let y = 1980 + i; y <= maxYear; y += 30) out.push(y);
  return out;
}

/**
 * Decode a VIN (spaces and dashes ignored, any case). Throws a typed 400 for anything that
 * is not 17 characters of the VIN alphabet (no I, O, Q).
 */
export function decodeVin(input: string, options: { now?: Date } = {}): DecodedVin {
  if (typeof input !== 'string') throw invalidVin('expected a string');
  const vin = input.replace(/[\s-]/g, '').toUpperCase();
  if (vin.length !== VIN_LENGTH) throw invalidVin(`expected ${VIN_LENGTH} characters, got ${vin.length}`);
  const bad = [...vin].find((c) => !VIN_ALPHABET.includes(c));
  if (bad !== undefined || !isVinSyntax(vin)) throw invalidVin(`'${bad}' is not a VIN character (0-9, A-Z without I, O, Q)`);
  const info = lookupWmi(vin);
  const region = regionOfWmi(vin);
  const rules = rulesForRegion(region);
  const expected = computeCheckDigit(vin);
  const status = expected === vin[8] ? 'valid' : rules.checkDigit ? 'invalid' : 'not-required';
  const maxYear = (options.now ?? new Date()).getUTCFullYear() + 1;
  const candidates = modelYearCandidates(vin[9], maxYear);
  let likely: number | null = candidates.length ? candidates[candidates.length - 1] : null;
  if (rules.modelYear && candidates.length) {
    const letter = /[A-Z]/.test(vin[6]);
    likely = candidates.find((y) => (letter ? y >= 2010 && y <= 2039 : y >= 1980 && y <= 2009)) ?? likely;
  }
  return {
    vin,
    wmi: info.wmi,
    manufacturer: info.manufacturer,
    country: info.country,
    countrySource: info.countrySource,
    region,
    vds: vin.slice(3, 8),
    checkDigit: { value: vin[8], expected, status },
    modelYear: { code: vin[9], candidates, likely },
    plant: vin[10],
    serial: vin.slice(11),
    ruleViolations: ruleViolations(vin, rules),
    source: WMI_SOURCE,
  };
}
