/**
 * Plate regions from evidence a plate carries: its character format (the format table in
 * formats.ts) and colour marks (the EU blue band on the left, Mercosul's blue band on top).
 * Codes follow CarsXE / Plate Recognizer: 'br', 'us-ca', ISO country codes for Europe
 * ('ro', 'gb', 'fr', …).
 */
import type { RawImage } from '../image/raw-image.ts';
import { countryOf, EU_BAND_REGIONS, HINT_FACTOR, hintMatches, matchFormats, MERCOSUR_REGIONS } from './formats.ts';

export { hintMatches } from './formats.ts';
export const EU_CODES = EU_BAND_REGIONS;

export interface Region {
  code: string;
  score: number;
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

/** Below this evidence a match says nothing about the region (the US vanity catch-all, loose layouts). */
const MIN_EVIDENCE = 0.15;
/** A state is named only when its evidence is this many times the next state's. */
const STATE_MARGIN = 1.5;

/**
 * How colour marks weigh a region: the EU band raises band countries and lowers the rest;
 * its absence lowers band countries a little (the band is missed on small or dark crops,
 * and older plates lack it); Mercosul's top band raises its four countries.
 */
export function colourFactor(region: string, marks: ColourMarks | null): number {
  if (!marks) return 1;
  const c = countryOf(region);
  let f = 1;
  if (EU_BAND_REGIONS.has(c)) f *= marks.euBand ? 2 : 0.5;
  else if (marks.euBand) f *= 0.3;
  if (marks.topBand && MERCOSUR_REGIONS.has(c)) f *= 3;
  return f;
}

/**
 * The region of a reading: the evidence of each region is its best matching format's weight,
 * raised by hints, weighed by colour marks; the best country wins. A state or province is
 * named when a hint names it or when one state's format stands out (California's
 * 1ABC234); a format many states share (ABC1234) says 'us'. Undefined without support.
 */
export function inferRegion(text: string, marks: ColourMarks | null, hints?: readonly string[]): Region | undefined {
  const ev = new Map<string, number>();
  const hinted = (code: string) => !!hints?.some((h) => hintMatches(h, code));
  let matches = matchFormats(text);
  // hints restrict the answer when the reading fits a hinted region at all
  if (hints?.length && matches.some((m) => hinted(m.region))) matches = matches.filter((m) => hinted(m.region));
  for (const m of matches) {
    const w = m.weight * (hinted(m.region) ? HINT_FACTOR : 1) * colourFactor(m.region, marks);
    ev.set(m.region, Math.max(ev.get(m.region) ?? 0, w));
  }
  const byCountry = new Map<string, number>();
  for (const [code, w] of ev) byCountry.set(countryOf(code), Math.max(byCountry.get(countryOf(code)) ?? 0, w));
  const ranked = [...byCountry.entries()].sort((a, b) => b[1] - a[1]);
  if (!ranked.length || ranked[0][1] < MIN_EVIDENCE) {
    return marks?.euBand && !hints?.length ? { code: 'eu', score: 0.6 } : undefined;
  }
  const [country, w] = ranked[0];
  const total = ranked.reduce((a, [, x]) => a + x, 0);
  let code = country;
  const hintedState = hints?.map((h) => h.toLowerCase()).find((h) => h.startsWith(country + '-'));
  if (hintedState) code = hintedState;
  else {
    const states = [...ev.entries()].filter(([c]) => c.startsWith(country + '-')).sort((a, b) => b[1] - a[1]);
    if (states.length && states[0][1] >= w && (states.length === 1 || states[0][1] >= STATE_MARGIN * states[1][1])) code = states[0][0];
  }
  const evidence = marks?.euBand || marks?.topBand ? 0.1 : 0;
  return { code, score: Math.round(Math.min(0.99, 0.85 * (w / total) + evidence) * 1000) / 1000 };
}
