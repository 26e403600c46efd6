/**
 * VIN rules (ISO 3779 / 49 CFR 565): 17 characters from 0-9 and A-Z without I, O, Q;
 * position 9 is a check digit for North-American (WMI starting 1–5) and Chinese
 * (starting L) VINs.
 */
export const VIN_LENGTH = 17;
export const VIN_ALPHABET = '0123456789ABCDEFGHJKLMNPRSTUVWXYZ';

const TRANSLIT: Record<string, number> = {
  A: 1, B: 2, C: 3, D: 4, E: 5, F: 6, G: 7, H: 8,
  J: 1, K: 2, L: 3, M: 4, N: 5, P: 7, R: 9,
  S: 2, T: 3, U: 4, V: 5, W: 6, X: 7, Y: 8, Z: 9,
};
const WEIGHTS = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];

/** Value of one VIN character in the check-digit sum (digits are themselves). */
export function vinCharValue(ch: string): number {
  const d = ch.charCodeAt(0) - 48;
  if (d >= 0 && d <= 9) return d;
  const v = TRANSLIT[ch];
  if (v === undefined) throw new Error(`'${ch}' is not a VIN character`);
  return v;
}

/** The check character for a 17-char VIN ('0'–'9' or 'X' for remainder 10). */
export function computeCheckDigit(vin: string): string {
  let sum = 0;
  for (let i = 0; i < VIN_LENGTH; i++) sum += vinCharValue(vin[i]) * WEIGHTS[i];
  const r = sum % 11;
  return r === 10 ? 'X' : String(r);
}

export function isVinSyntax(s: string): boolean {
  return /^[0-9A-HJ-NPR-Z]{17}$/.test(s);
}

/** Check digit applies to North-American (1–5) and Chinese (L) VINs. */
export function hasCheckDigit(vin: string): boolean {
  return /^[1-5L]/.test(vin);
}

export function isCheckDigitValid(vin: string): boolean {
  return isVinSyntax(vin) && computeCheckDigit(vin) === vin[8];
}

/** Map characters a VIN cannot contain to the ones they are read for: I→1, O/Q→0. */
export function transliterateVinChar(ch: string): string {
  const u = ch.toUpperCase();
  if (u === 'I') return '1';
  if (u === 'O' || u === 'Q') return '0';
  return u;
}

/** Model-year characters allowed at position 10 (no I, O, Q, U, Z, 0). */
export const MODEL_YEAR_CHARS = 'ABCDEFGHJKLMNPRSTVWXY123456789';
