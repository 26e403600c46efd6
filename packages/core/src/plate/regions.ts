/**
 * Plate regions from evidence a plate carries: its character format (the format table in
 * formats.ts) and colour marks (the EU blue band on the left, Mercosul's blue band on top).
 * Codes follow CarsXE / Plate Recognizer: 'br', 'us-ca', ISO country codes for Europe
 * ('ro', 'gb', 'fr', …).
 */
import type { RawImage } from '../image/raw-image.ts';
import { countryOf, EU_BAND_REGIONS, HINT_FACTOR, hintMatches, matchFormats, type FormatMatch } from './formats.ts';

export { hintMatches } from './formats.ts';
export const EU_CODES = EU_BAND_REGIONS;

export interface Region {
  code: string;
  score: number;
}

/** Country → probability from the plate's look (the reader's region output); 'other' = a country it was not taught. */
export type Appearance = ReadonlyMap<string, number>;

/** Row `i` of the region output [N, classes] as an Appearance. */
export function appearanceOf(data: ArrayLike<number>, classes: readonly string[], i: number): Appearance {
  return new Map(classes.map((c, k) => [c, data[i * classes.length + k]]));
}

/**
 * Appearance × format: a country's evidence is its format weight times its look probability^0.75.
 * A country no format of the reading fits keeps NO_FORMAT weight (the reading may be wrong, the
 * table incomplete), so a plate that clearly looks Pakistani is not named by a shared format
 * alone; a country the look model does not know shares the 'other' probability.
 */
const NO_FORMAT = 0.02;
/**
 * Floor on a look probability, so a confident look never vetoes a distinctive format outright.
 * 0.003 rather than 0.01 (2026-12-03, one session, both dev sets): openlpr-val region 87.4 → 87.9 %,
 * held-out crops 87.4 → 88.1 % (a plate 95 % sure to look Italian, in a layout no Italian format
 * has, went to an untaught country's format at 0.01); 0.001 loses French crops, 0.03 both sets.
 */
const LOOK_FLOOR = 0.003;
/**
 * The look's probability is tempered (p^0.75): trained on photos of a few dozen countries'
 * plates, it must not overrule a distinctive format on a design it never saw. The root (0.5)
 * was chosen while the look named generated Mercosul plates `us`; since the look learnt them,
 * 0.75 names more regions right on both held-out sets (openlpr-val 85.2 → 86.1 %, held-out
 * crops 79.2 → 84.5 %; the full look: 85.2 / 85.2).
 */
const LOOK_POWER = 0.75;
/** A look this sure names its country even when no format of the reading fits it. */
const LOOK_SURE = 0.5;

export interface ColourMarks {
  euBand: boolean;
  topBand: boolean;
}

/**
 * Colour marks, null for a grey-scale crop: the blue share of a band just inside the crop's
 * left edge (EU band; the crop has the pipeline's margin, so the band sits at about 4–16 %
 * of its width) and of its top 18 % (Mercosul band). EU-band window and threshold measured on plates-openlpr-train: 67 % of
 * EU plates seen, 7 % of non-EU ones (Pakistan, US, India, Gulf, Australia) flagged.
 */
export function colourMarks(crop: RawImage): ColourMarks | null {
  // a grey-scale picture (IR camera, grey JPEG) shows no band either way: no evidence
  let tinted = 0;
  for (let i = 0; i < crop.data.length; i += 4) {
    const r = crop.data[i], g = crop.data[i + 1], b = crop.data[i + 2];
    if (Math.max(r, g, b) - Math.min(r, g, b) > 12) tinted++;
  }
  if (tinted < 0.01 * crop.width * crop.height) return null;
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
    euBand: blueShare(Math.round(w * 0.04), Math.max(1, Math.round(w * 0.16)), Math.round(h * 0.2), Math.round(h * 0.8)) > 0.3,
    topBand: blueShare(Math.round(w * 0.1), Math.round(w * 0.9), 0, Math.max(1, Math.round(h * 0.18))) > 0.35,
  };
}

/**
 * Below this evidence a match says nothing about the region. The US catch-all (any 2–8
 * characters, weight 0.05) stays above it: a reading no national format explains is
 * likeliest a US vanity plate, unless an EU band was seen (×0.3 puts it below).
 */
const MIN_EVIDENCE = 0.04;
/** A state is named only when its evidence is this many times the next state's. */
const STATE_MARGIN = 1.5;

export interface ColourParams {
  /** A format whose plates carry the band (EU, Mercosur top) when the band is seen / not seen. */
  bandSeen: number;
  bandMissed: number;
  /** A format whose plates may carry it (UK) when an EU band is seen. */
  optionalSeen: number;
  /** A format without a band when an EU band is seen. */
  otherWhenBand: number;
}

/**
 * Likelihood ratios of the band detector, tempered (plates-openlpr-train: the EU band is seen
 * on 67 % of EU plates and 7 % of others, ratios 9.6 seen / 0.36 missed): ×2 / ×0.3 for band
 * formats, ×1.6 for the UK's optional band, ×0.3 for the rest when a band is seen. Checked
 * by `tune-formats region` on training plates (true text): 52.9 % right vs 47.5 % without
 * colour; the grid's spread is under 0.5 point.
 */
export const DEFAULT_COLOUR: ColourParams = { bandSeen: 2, bandMissed: 0.3, optionalSeen: 1.6, otherWhenBand: 0.3 };

/** How colour marks weigh a matched format. */
export function colourFactor(m: FormatMatch, marks: ColourMarks | null, p: ColourParams = DEFAULT_COLOUR): number {
  if (!marks) return 1;
  if (m.band === 'eu') return marks.euBand ? p.bandSeen : p.bandMissed;
  if (m.band === 'top') return marks.topBand ? p.bandSeen : p.bandMissed;
  if (m.band === 'optional') return marks.euBand ? p.optionalSeen : 1;
  return marks.euBand ? p.otherWhenBand : 1;
}

/**
 * The region of a reading: the evidence of each region is its best matching format's weight,
 * raised by hints, weighed by colour marks; the best country wins. A state or province is
 * named when a hint names it or when one state's format stands out (California's
 * 1ABC234); a format many states share (ABC1234) says 'us'. Undefined without support.
 * `words`: other text read on the plate (its state or country name, a slogan), if any.
 */
export function inferRegion(
  text: string,
  marks: ColourMarks | null,
  hints?: readonly string[],
  words?: string,
  colour: ColourParams = DEFAULT_COLOUR,
  looks?: Appearance,
): Region | undefined {
  // words printed on the plate (a state name) outrank the layout, unless hints rule them out
  const named = words ? regionFromText(words) : undefined;
  if (named && (!hints?.length || hints.some((h) => hintMatches(h, named)))) return { code: named, score: 0.9 };
  const ev = new Map<string, number>();
  const hinted = (code: string) => !!hints?.some((h) => hintMatches(h, code));
  let matches = matchFormats(text);
  // hints restrict the answer when the reading fits a hinted region at all
  if (hints?.length && matches.some((m) => hinted(m.region))) matches = matches.filter((m) => hinted(m.region));
  for (const m of matches) {
    const w = m.weight * (hinted(m.region) ? HINT_FACTOR : 1) * colourFactor(m, marks, colour);
    ev.set(m.region, Math.max(ev.get(m.region) ?? 0, w));
  }
  const byCountry = new Map<string, number>();
  for (const [code, w] of ev) byCountry.set(countryOf(code), Math.max(byCountry.get(countryOf(code)) ?? 0, w));
  if (looks) weighByLooks(byCountry, looks, hints?.length ? hinted : undefined);
  const ranked = [...byCountry.entries()].sort((a, b) => b[1] - a[1]);
  // with looks, support is a format or a look: only a reading nothing supports names no region
  if (!ranked.length || ranked[0][1] < (looks ? NO_FORMAT * Math.sqrt(LOOK_SURE) : MIN_EVIDENCE)) {
    // no format speaks (a vanity plate, a layout the table lacks): the look's best guess, with its own probability as score
    const guess = looks && !hints?.length ? lookGuess(looks) : undefined;
    if (guess) return guess;
    return marks?.euBand && !hints?.length ? { code: 'eu', score: 0.6 } : undefined;
  }
  const [country, w] = ranked[0];
  const total = ranked.reduce((a, [, x]) => a + x, 0);
  if (looks) return { code: stateOf(country, ev, hints), score: Math.round(Math.min(0.99, w / total) * 1000) / 1000 };
  const evidence = marks?.euBand || marks?.topBand ? 0.1 : 0;
  return { code: stateOf(country, ev, hints), score: Math.round(Math.min(0.99, 0.85 * (w / total) + evidence) * 1000) / 1000 };
}

/**
 * Below this the look names no country on its own; above it, a plate no format explains gets
 * the look's best country rather than 'eu' or nothing (openlpr-val 87.0 → 87.4 %, held-out EU
 * crops 65.0 → 68.1 %; the same from 0.05 to 0.15).
 */
const LOOK_GUESS = 0.15;

function lookGuess(looks: Appearance): Region | undefined {
  let best: [string, number] | undefined;
  for (const [c, p] of looks) if (c !== 'other' && (!best || p > best[1])) best = [c, p];
  return best && best[1] >= LOOK_GUESS ? { code: best[0], score: Math.round(best[1] * 1000) / 1000 } : undefined;
}

/** The chosen country's state or province, when a hint names it or one state's format stands out. */
function stateOf(country: string, ev: ReadonlyMap<string, number>, hints?: readonly string[]): string {
  const hintedState = hints?.map((h) => h.toLowerCase()).find((h) => h.startsWith(country + '-'));
  if (hintedState) return hintedState;
  const top = Math.max(0, ...[...ev.entries()].filter(([c]) => countryOf(c) === country).map(([, x]) => x));
  const states = [...ev.entries()].filter(([c]) => c.startsWith(country + '-')).sort((a, b) => b[1] - a[1]);
  const stands = states.length && states[0][1] >= top && (states.length === 1 || states[0][1] >= STATE_MARGIN * states[1][1]);
  return stands ? states[0][0] : country;
}

/** Multiply each country's format evidence by its look probability (in place); countries only the look names join. */
function weighByLooks(byCountry: Map<string, number>, looks: Appearance, hinted?: (code: string) => boolean): void {
  const known = (c: string) => looks.has(c) && c !== 'other';
  // 'other' is one probability for every country the look was not taught: the countries that
  // compete for it share it, or each of sixty format-matching countries would get all of it
  const untaught = [...byCountry.keys()].filter((c) => !known(c)).length;
  const other = (looks.get('other') ?? 0) / Math.max(1, untaught);
  const lookOf = (c: string) => Math.pow(Math.max(LOOK_FLOOR, known(c) ? looks.get(c)! : other), LOOK_POWER);
  for (const [c, w] of byCountry) byCountry.set(c, w * lookOf(c));
  for (const [c, p] of looks) {
    if (!known(c) || byCountry.has(c) || (hinted && !hinted(c))) continue;
    byCountry.set(c, NO_FORMAT * Math.max(LOOK_FLOOR, p));
  }
}

// ---------------------------------------------------------------------------------------
// Region from words printed on the plate (state / province / country names, slogans), as
// the general text recogniser reads them: 'WASHINGTON' → us-wa whatever the registration's
// layout suggests.

/** Names and slogans, upper case; several per region. */
const PLATE_WORDS: [string, string[]][] = [
  ['us-al', ['ALABAMA', 'HEART OF DIXIE']], ['us-ak', ['ALASKA']], ['us-az', ['ARIZONA', 'GRAND CANYON STATE']],
  ['us-ar', ['ARKANSAS']], ['us-ca', ['CALIFORNIA']], ['us-co', ['COLORADO']], ['us-ct', ['CONNECTICUT', 'CONSTITUTION STATE']],
  ['us-de', ['DELAWARE', 'FIRST STATE']], ['us-dc', ['DISTRICT OF COLUMBIA', 'WASHINGTON DC']], ['us-fl', ['FLORIDA', 'SUNSHINE STATE']],
  ['us-ga', ['GEORGIA', 'PEACH STATE']], ['us-hi', ['HAWAII', 'ALOHA STATE']], ['us-id', ['IDAHO', 'FAMOUS POTATOES']],
  ['us-il', ['ILLINOIS', 'LAND OF LINCOLN']], ['us-in', ['INDIANA', 'CROSSROADS OF AMERICA']], ['us-ia', ['IOWA']],
  ['us-ks', ['KANSAS']], ['us-ky', ['KENTUCKY', 'BLUEGRASS STATE']], ['us-la', ['LOUISIANA', 'SPORTSMANS PARADISE']],
  ['us-me', ['MAINE', 'VACATIONLAND']], ['us-md', ['MARYLAND']], ['us-ma', ['MASSACHUSETTS', 'THE SPIRIT OF AMERICA']],
  ['us-mi', ['MICHIGAN', 'GREAT LAKES STATE']], ['us-mn', ['MINNESOTA', '10000 LAKES']], ['us-ms', ['MISSISSIPPI']],
  ['us-mo', ['MISSOURI', 'SHOW ME STATE']], ['us-mt', ['MONTANA', 'BIG SKY']], ['us-ne', ['NEBRASKA']], ['us-nv', ['NEVADA']],
  ['us-nh', ['NEW HAMPSHIRE', 'LIVE FREE OR DIE']], ['us-nj', ['NEW JERSEY', 'GARDEN STATE']], ['us-nm', ['NEW MEXICO', 'LAND OF ENCHANTMENT']],
  ['us-ny', ['NEW YORK', 'EMPIRE STATE']], ['us-nc', ['NORTH CAROLINA', 'FIRST IN FLIGHT']], ['us-nd', ['NORTH DAKOTA']],
  ['us-oh', ['OHIO', 'BIRTHPLACE OF AVIATION']], ['us-ok', ['OKLAHOMA']], ['us-or', ['OREGON']], ['us-pa', ['PENNSYLVANIA', 'KEYSTONE STATE']],
  ['us-ri', ['RHODE ISLAND', 'OCEAN STATE']], ['us-sc', ['SOUTH CAROLINA']], ['us-sd', ['SOUTH DAKOTA', 'MOUNT RUSHMORE']],
  ['us-tn', ['TENNESSEE']], ['us-tx', ['TEXAS', 'LONE STAR STATE']], ['us-ut', ['UTAH']], ['us-vt', ['VERMONT', 'GREEN MOUNTAIN STATE']],
  ['us-va', ['VIRGINIA']], ['us-wa', ['WASHINGTON', 'EVERGREEN STATE']], ['us-wv', ['WEST VIRGINIA', 'WILD WONDERFUL']],
  ['us-wi', ['WISCONSIN', 'AMERICAS DAIRYLAND']], ['us-wy', ['WYOMING']],
  ['ca-on', ['ONTARIO', 'YOURS TO DISCOVER']], ['ca-qc', ['QUEBEC', 'JE ME SOUVIENS']], ['ca-bc', ['BRITISH COLUMBIA']],
  ['ca-ab', ['ALBERTA', 'WILD ROSE COUNTRY']], ['ca-mb', ['MANITOBA']], ['ca-sk', ['SASKATCHEWAN']], ['ca-ns', ['NOVA SCOTIA']],
  ['ca-nb', ['NEW BRUNSWICK']],
  ['au-nsw', ['NEW SOUTH WALES']], ['au-vic', ['VICTORIA', 'THE EDUCATION STATE']], ['au-qld', ['QUEENSLAND', 'SUNSHINE STATE QLD']],
  ['au-wa', ['WESTERN AUSTRALIA']], ['au-sa', ['SOUTH AUSTRALIA']], ['au-tas', ['TASMANIA']],
  ['pk', ['ISLAMABAD', 'PUNJAB', 'SINDH', 'PAKISTAN', 'KARACHI', 'LAHORE']], ['br', ['BRASIL']], ['ar', ['ARGENTINA']],
];

/** Edit distance of `word` to the closest substring of `text` (free start and end). */
function substringDistance(word: string, text: string): number {
  let prev = new Array<number>(text.length + 1).fill(0);
  for (let i = 1; i <= word.length; i++) {
    const cur = [i];
    for (let j = 1; j <= text.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (word[i - 1] === text[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return Math.min(...prev);
}

/**
 * The region words on a plate name, from recognised text (any case, any punctuation): the
 * closest name or slogan within one edit per 6 letters (OCR slips); among equally close ones
 * the longest, so 'WEST VIRGINIA' is not read as 'VIRGINIA' nor 'WASHINGTON DC' as
 * 'WASHINGTON'. Undefined when nothing close enough appears. Names under 5 letters must
 * match exactly.
 */
export function regionFromText(text: string): string | undefined {
  const t = text.toUpperCase().replace(/[^A-Z0-9]+/g, ' ').trim();
  if (!t) return undefined;
  const squeezed = t.replace(/ /g, '');
  let best: { code: string; len: number; d: number } | undefined;
  for (const [code, names] of PLATE_WORDS) {
    for (const name of names) {
      const n = name.replace(/ /g, '');
      const allowed = n.length < 5 ? 0 : Math.floor(n.length / 6);
      const d = substringDistance(n, squeezed);
      if (d > allowed) continue;
      if (!best || d < best.d || (d === best.d && n.length > best.len)) best = { code, len: n.length, d };
    }
  }
  return best?.code;
}
