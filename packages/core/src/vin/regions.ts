/**
 * VIN region rules, after Plate Recognizer's VIN ID `regions`:
 *  - us, ca, mx: check digit (49 CFR 565), 9th character a digit or X, a valid model-year
 *    code at position 10, the last 4 characters digits;
 *  - eu (EU members but de) and tr: 9th character a digit or X, the last 4 digits;
 *  - de: 17 characters; cn: 17 characters and the check digit (GB 16735);
 *  - anything else: 17 characters of the VIN alphabet.
 * Without `regions` the rules are those the VIN's own WMI implies: a first character 1–5
 * is North American and L is Chinese whatever the table says (the legal basis of their
 * check digits), otherwise the WMI's country from the vPIC table (./wmi).
 */
import { computeCheckDigit, isVinSyntax, MODEL_YEAR_CHARS, VIN_ALPHABET } from './check-digit.ts';
import { lookupWmi } from './wmi/index.ts';

export interface VinRules {
  /** Region code the rules are for ('us', 'eu', 'de', …, or 'other'). */
  region: string;
  checkDigit: boolean;
  ninthDigitOrX: boolean;
  modelYear: boolean;
  lastFourDigits: boolean;
}

const NA = { checkDigit: true, ninthDigitOrX: true, modelYear: true, lastFourDigits: true };
const EU = { checkDigit: false, ninthDigitOrX: true, modelYear: false, lastFourDigits: true };
const PLAIN = { checkDigit: false, ninthDigitOrX: false, modelYear: false, lastFourDigits: false };
const CN = { ...PLAIN, checkDigit: true };

/** EU member states but Germany (ISO 3166 alpha-2), as region codes with the 'eu' rules. */
const EU_CODES = ['at', 'be', 'bg', 'hr', 'cy', 'cz', 'dk', 'ee', 'fi', 'fr', 'gr', 'hu', 'ie', 'it', 'lv', 'lt', 'lu', 'mt', 'nl', 'pl', 'pt', 'ro', 'sk', 'si', 'es', 'se'];
/** vPIC's country names (see wmi/wmi-data.ts) → region code. */
const COUNTRY_REGION: Record<string, string> = {
  'UNITED STATES (USA)': 'us',
  'PUERTO RICO': 'us',
  CANADA: 'ca',
  MEXICO: 'mx',
  TURKEY: 'tr',
  GERMANY: 'de',
  CHINA: 'cn',
  AUSTRIA: 'at', BELGIUM: 'be', BULGARIA: 'bg', CROATIA: 'hr', CYPRUS: 'cy', 'CZECH REPUBLIC': 'cz',
  DENMARK: 'dk', ESTONIA: 'ee', FINLAND: 'fi', FRANCE: 'fr', GREECE: 'gr', HUNGARY: 'hu', IRELAND: 'ie',
  ITALY: 'it', LATVIA: 'lv', LITHUANIA: 'lt', LUXEMBOURG: 'lu', MALTA: 'mt', NETHERLANDS: 'nl',
  POLAND: 'pl', PORTUGAL: 'pt', ROMANIA: 'ro', SLOVAKIA: 'sk', SLOVENIA: 'si', SPAIN: 'es', SWEDEN: 'se',
};

/** The rules of one region code (lower case; an EU member's code gets the 'eu' rules). */
export function rulesForRegion(code: string): VinRules {
  const region = code.toLowerCase();
  if (region === 'us' || region === 'ca' || region === 'mx') return { region, ...NA };
  if (region === 'eu' || region === 'tr' || EU_CODES.includes(region)) return { region, ...EU };
  if (region === 'cn') return { region, ...CN };
  return { region, ...PLAIN };
}

/** Region code a VIN's WMI implies ('other' when nothing is known). */
export function regionOfWmi(vin: string): string {
  const c = vin[0];
  const country = lookupWmi(vin).country;
  const fromTable = country ? COUNTRY_REGION[country] : undefined;
  if (c >= '1' && c <= '5') return fromTable === 'ca' || fromTable === 'mx' ? fromTable : 'us';
  if (c === 'L') return 'cn';
  return fromTable ?? 'other';
}

export const rulesForVin = (vin: string): VinRules => rulesForRegion(regionOfWmi(vin));

/**
 * The rule sets a reading is held to: those of the `regions` asked for (any one
 * passing is enough), or else the one its WMI implies.
 */
export function rulesFor(vin: string, regions?: readonly string[]): VinRules[] {
  return regions && regions.length ? regions.map(rulesForRegion) : [rulesForVin(vin)];
}

export type RuleViolation = 'syntax' | 'check-digit' | 'ninth' | 'model-year' | 'last-four';

const DIGIT = /^[0-9]$/;

/** Characters position `i` (0-based) may hold under `rules`. */
export function allowedAt(i: number, rules: VinRules): string {
  if (i === 8 && (rules.ninthDigitOrX || rules.checkDigit)) return '0123456789X';
  if (i === 9 && rules.modelYear) return MODEL_YEAR_CHARS;
  if (i >= 13 && rules.lastFourDigits) return '0123456789';
  return VIN_ALPHABET;
}

/** What `vin` breaks of `rules` (empty: it passes). */
export function ruleViolations(vin: string, rules: VinRules): RuleViolation[] {
  if (!isVinSyntax(vin)) return ['syntax'];
  const out: RuleViolation[] = [];
  if (rules.ninthDigitOrX && !(DIGIT.test(vin[8]) || vin[8] === 'X')) out.push('ninth');
  if (rules.checkDigit && computeCheckDigit(vin) !== vin[8]) out.push('check-digit');
  if (rules.modelYear && !MODEL_YEAR_CHARS.includes(vin[9])) out.push('model-year');
  if (rules.lastFourDigits && !/^[0-9]{4}$/.test(vin.slice(13))) out.push('last-four');
  return out;
}

/** Passes at least one of the rule sets it is held to. */
export function passesRules(vin: string, regions?: readonly string[]): boolean {
  return isVinSyntax(vin) && rulesFor(vin, regions).some((r) => ruleViolations(vin, r).length === 0);
}
