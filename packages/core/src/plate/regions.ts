/**
 * Plate regions from evidence a plate carries: its character format (per-region
 * registration patterns) and colour marks (the EU blue band on the left, Mercosul's
 * blue band on top). Codes follow CarsXE / Plate Recognizer: 'br', 'us-ca', ISO
 * country codes for Europe ('ro', 'gb', 'fr', …). Formats are upper-case, no spaces.
 */
import type { RawImage } from '../image/raw-image.ts';

export interface RegionRule {
  code: string;
  formats: RegExp[];
  /** Prior weight when several regions match the same string. */
  weight: number;
}

const RO_COUNTIES =
  'AB|AG|AR|BC|BH|BN|BR|BT|BV|BZ|CJ|CL|CS|CT|CV|DB|DJ|GJ|GL|GR|HD|HR|IF|IL|IS|MH|MM|MS|NT|OT|PH|SB|SJ|SM|SV|TL|TM|TR|VL|VN|VS';

export const REGION_RULES: RegionRule[] = [
  { code: 'br', formats: [/^[A-Z]{3}[0-9][A-Z][0-9]{2}$/], weight: 3 }, // Mercosul
  { code: 'br', formats: [/^[A-Z]{3}[0-9]{4}$/], weight: 1 }, // old grey/red
  { code: 'us-ca', formats: [/^[1-9][A-Z]{3}[0-9]{3}$/], weight: 2 },
  { code: 'us-tx', formats: [/^[A-Z]{3}[0-9]{4}$/, /^[A-Z]{2}[0-9][A-Z]{4}$/], weight: 1 },
  { code: 'us-ny', formats: [/^[A-Z]{3}[0-9]{4}$/], weight: 1 },
  { code: 'us-fl', formats: [/^[A-Z0-9]{4}[A-Z]{2}$/, /^[A-Z]{3}[A-Z0-9][0-9]{2}$/], weight: 0.5 },
  { code: 'us-il', formats: [/^[A-Z]{2}[0-9]{5}$/], weight: 0.5 },
  { code: 'us-pa', formats: [/^[A-Z]{3}[0-9]{4}$/], weight: 0.5 },
  { code: 'gb', formats: [/^[A-Z]{2}[0-9]{2}[A-Z]{3}$/], weight: 2 },
  { code: 'ro', formats: [new RegExp(`^(B[0-9]{2,3}|(${RO_COUNTIES})[0-9]{2})[A-Z]{3}$`)], weight: 2 },
  { code: 'fr', formats: [/^[A-Z]{2}[0-9]{3}[A-Z]{2}$/], weight: 1 },
  { code: 'it', formats: [/^[A-Z]{2}[0-9]{3}[A-Z]{2}$/], weight: 1 },
  { code: 'es', formats: [/^[0-9]{4}[BCDFGHJKLMNPRSTVWXYZ]{3}$/], weight: 2 },
  { code: 'nl', formats: [/^[0-9]{2}[A-Z]{3}[0-9]$/, /^[A-Z]{2}[0-9]{3}[A-Z]$/, /^[0-9][A-Z]{3}[0-9]{2}$/], weight: 1 },
  { code: 'de', formats: [/^[A-Z]{1,3}[A-Z]{1,2}[0-9]{1,4}[EH]?$/], weight: 0.5 },
  { code: 'pl', formats: [/^[A-Z]{2,3}[0-9A-Z]{4,5}$/], weight: 0.3 },
];

export const EU_CODES = new Set(['ro', 'gb', 'fr', 'it', 'es', 'nl', 'de', 'pl']);

export interface Region {
  code: string;
  score: number;
}

/** Does a region code satisfy a hint? 'us' ⊇ 'us-ca'; 'eu' ⊇ European countries. */
export function hintMatches(hint: string, code: string): boolean {
  const h = hint.toLowerCase();
  return h === code || code.startsWith(h + '-') || (h === 'eu' && EU_CODES.has(code));
}

export function matchingRules(text: string, hints?: readonly string[]): RegionRule[] {
  const up = text.toUpperCase();
  return REGION_RULES.filter(
    (r) => r.formats.some((f) => f.test(up)) && (!hints?.length || hints.some((h) => hintMatches(h, r.code))),
  );
}

export interface ColourMarks {
  euBand: boolean;
  topBand: boolean;
}

/** Blue share of the crop's left 12 % (EU band) and top 18 % (Mercosul band). */
export function colourMarks(crop: RawImage): ColourMarks {
  const blueShare = (x0: number, x1: number, y0: number, y1: number) => {
    let blue = 0, n = 0;
    for (let y = y0; y < y1; y++) {
      for (let x = x0; x < x1; x++) {
        const i = (y * crop.width + x) * 4;
        const r = crop.data[i], g = crop.data[i + 1], b = crop.data[i + 2];
        if (b > r + 40 && b > g + 15) blue++;
        n++;
      }
    }
    return n ? blue / n : 0;
  };
  const { width: w, height: h } = crop;
  return {
    euBand: blueShare(0, Math.max(1, Math.round(w * 0.12)), Math.round(h * 0.15), Math.round(h * 0.85)) > 0.35,
    topBand: blueShare(Math.round(w * 0.1), Math.round(w * 0.9), 0, Math.max(1, Math.round(h * 0.18))) > 0.35,
  };
}

/** Best-supported region for a reading, or undefined when nothing supports one. */
export function inferRegion(text: string, marks: ColourMarks | null, hints?: readonly string[]): Region | undefined {
  let rules = matchingRules(text, hints);
  if (marks?.euBand) {
    const eu = rules.filter((r) => EU_CODES.has(r.code));
    if (eu.length) rules = eu;
    else if (!hints?.length) return { code: 'eu', score: 0.6 };
  }
  if (marks?.topBand && rules.some((r) => r.code === 'br')) rules = rules.filter((r) => r.code === 'br');
  if (!rules.length) return undefined;
  const byCode = new Map<string, number>();
  for (const r of rules) byCode.set(r.code, (byCode.get(r.code) ?? 0) + r.weight);
  const total = [...byCode.values()].reduce((a, b) => a + b, 0);
  const [code, w] = [...byCode.entries()].sort((a, b) => b[1] - a[1])[0];
  // one clear match → high, shared formats → proportional; colour evidence adds
  const evidence = marks?.euBand || marks?.topBand ? 0.1 : 0;
  return { code, score: Math.round(Math.min(0.99, 0.85 * (w / total) + evidence) * 1000) / 1000 };
}
