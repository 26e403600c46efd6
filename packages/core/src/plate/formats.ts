/**
 * Registration formats per region, as data, and the format-aware re-ranking of plate
 * readings built on them.
 *
 * A format is a position pattern: `L` letter, `N` digit, `A` either, `[…]` an allowed set
 * (ranges allowed), other capitals and digits literal, `(AB|CD)` alternatives (area codes;
 * inside them every capital is literal, classes go in brackets), each optionally followed by
 * `{m}`, `{m,n}` or `?`; spaces are for reading only. Formats expand once, at load, into
 * fixed-length patterns indexed by length.
 *
 * Re-ranking never rejects: variants consistent with a format are added next to the reader's
 * own readings (letter/digit confusions swapped per position, a spurious edge character
 * dropped), every candidate is scored reader-probability × format prior, and a reading that
 * matches no format keeps its place when nothing better exists (OpenALPR's
 * `must_match_pattern` lost plates by rejecting).
 */
import type { CtcChar } from '../text/ctc.ts';
import { readingScore, type Reading } from './candidates.ts';
import type { Appearance } from './regions.ts';

export interface FormatDef {
  /** CarsXE-style region code: 'gb', 'de', 'us-ca', 'ca-on', 'au-nsw', … */
  region: string;
  pattern: string;
  /**
   * How common the format is where it is used, 0..1: 1 a current national format, ~0.5 an
   * older or looser one; up to 1.5 for distinctive ones (area-code lists, fixed suffixes).
   * Each expanded layout's weight is further scaled by its specificity (see expandPattern).
   */
  weight: number;
  /** A catch-all (US vanity): its weight is used as it is, not scaled by specificity. */
  catchAll?: boolean;
  /** The colour band plates of this format carry: the EU blue band, Mercosur's top band, or an EU-style band some carry and some do not (UK). */
  band?: Band;
}

export type Band = 'eu' | 'top' | 'optional';

// Letter sets some countries restrict themselves to.
const NO_IQ = '[A-HJ-PR-Z]'; // gb random letters
const GB_AREA = '[A-HJ-PR-Y]'; // gb memory tag, first letter (region): no I, Q, Z
const GB_OFFICE = '[A-HJ-PR-Z]'; // its second letter (office) may be Z (BZ09ZAS, VZ16JXD in plates-openalpr-eu / openlpr)
const FR = '[A-HJ-NP-TV-Z]'; // fr SIV: no I, O, U
const PL_AREA = '[BCDEFGKLNOPRSTWZ]'; // pl voivodeship letters
const PL_SERIAL = '[ACEFGHJKLMNPQRSTUVWXY]'; // pl serial letters: no B D I O Z
const IT = '[A-HJ-NPR-TV-Z]'; // it: no I, O, Q, U
const ES = '[BCDFGHJKLMNPRSTVWXYZ]'; // es: consonants, no Ñ Q
const NL = '[BDFGHJKLNPRSTVXZ]'; // nl sidecodes 7+: no vowels, C, M, Q, W, Y
const SE = '[A-HJ-PR-UW-Z]'; // se: no I, Q, V
const CYR = '[ABEKMHOPCTYX]'; // Cyrillic letters with Latin lookalikes (ru, bg, ua)
const UA = '[ABCEHIKMOPTX]';
const GR = '[ABEZHIKMNOPTYX]'; // Greek letters with Latin lookalikes
const SA = '[ABDEGHJKLNRSTUVXZ]'; // sa: the 17 Latin letters paired with Arabic ones
const IN_STATES =
  '(AN|AP|AR|AS|BR|CG|CH|DD|DL|DN|GA|GJ|HP|HR|JH|JK|KA|KL|LA|LD|MH|ML|MN|MP|MZ|NL|OD|OR|PB|PY|RJ|SK|TN|TR|TS|UK|UP|WB)';
const IE_COUNTIES = '(C|CE|CN|CW|D|DL|G|KE|KK|KY|L|LD|LH|LK|LM|LS|MH|MN|MO|OY|RN|SO|T|TN|TS|W|WD|WH|WW|WX)';
const CH_CANTONS = '(AG|AI|AR|BE|BL|BS|FR|GE|GL|GR|JU|LU|NE|NW|OW|SG|SH|SO|SZ|TG|TI|UR|VD|VS|ZG|ZH)';
const RO_COUNTIES =
  '(AB|AG|AR|BC|BH|BN|BR|BT|BV|BZ|CJ|CL|CS|CT|CV|DB|DJ|GJ|GL|GR|HD|HR|IF|IL|IS|MH|MM|MS|NT|OT|PH|SB|SJ|SM|SV|TL|TM|TR|VL|VN|VS)';
const SI_AREAS = '(LJ|MB|CE|KR|NM|KP|GO|PO|MS|SG|KK)';
const TR_PROVINCES = '(0[1-9]|[1-7][0-9]|8[01])';

/** The table: public knowledge of each region's common formats, upper case, no separators. */
export const FORMATS: readonly FormatDef[] = [
  // United Kingdom: current (2001+), prefix (1983–2001), suffix (1963–1983), dateless
  { region: 'gb', pattern: `${GB_AREA}${GB_OFFICE} NN ${NO_IQ}{3}`, weight: 1, band: 'optional' },
  { region: 'gb', pattern: 'L N{1,3} LLL', weight: 0.6, band: 'optional' },
  { region: 'gb', pattern: 'LLL N{1,3} L', weight: 0.6, band: 'optional' },
  { region: 'gb', pattern: 'L{1,3} N{1,4}', weight: 0.2, band: 'optional' },
  { region: 'gb', pattern: 'N{1,4} L{1,3}', weight: 0.2, band: 'optional' },
  { region: 'ie', pattern: `NN N? ${IE_COUNTIES} N{1,6}`, weight: 1.5, band: 'eu' },
  // Germany: district (1–3) + 1–2 letters + 1–4 digits, E (electric) / H (historic)
  { region: 'de', pattern: 'L{1,3} L{1,2} N{1,4} [EH]?', weight: 0.5, band: 'eu' }, // loose: 48 layouts
  { region: 'fr', pattern: `${FR}{2} NNN ${FR}{2}`, weight: 1, band: 'eu' },
  { region: 'fr', pattern: `W NNN ${FR}{2}`, weight: 0.6 }, // garage (W garage)
  { region: 'fr', pattern: 'N{1,4} L{1,3} ([0-9]{2}|2A|2B|97[0-9])', weight: 0.8, band: 'optional' }, // FNI with department (EU band from the 1990s)
  { region: 'it', pattern: `${IT}{2} NNN ${IT}{2}`, weight: 1, band: 'eu' },
  { region: 'it', pattern: 'LL N{5,6}', weight: 0.3 }, // provincial (pre-1994)
  { region: 'es', pattern: `NNNN ${ES}{3}`, weight: 1.2, band: 'eu' },
  { region: 'es', pattern: 'L{1,2} NNNN L{1,2}', weight: 0.4 }, // provincial (pre-2000)
  // Netherlands sidecodes 7–14 (restricted letters), older 1–6
  { region: 'nl', pattern: `NN ${NL}{3} N`, weight: 1, band: 'eu' },
  { region: 'nl', pattern: `N ${NL}{3} NN`, weight: 1, band: 'eu' },
  { region: 'nl', pattern: `${NL}{2} NNN ${NL}`, weight: 1, band: 'eu' },
  { region: 'nl', pattern: `${NL} NNN ${NL}{2}`, weight: 1, band: 'eu' },
  { region: 'nl', pattern: `${NL}{3} NN ${NL}`, weight: 1, band: 'eu' },
  { region: 'nl', pattern: `${NL} NN ${NL}{3}`, weight: 1, band: 'eu' },
  { region: 'nl', pattern: `N ${NL}{2} NNN`, weight: 1, band: 'eu' },
  { region: 'nl', pattern: `NNN ${NL}{2} N`, weight: 1, band: 'eu' },
  { region: 'nl', pattern: 'LL NN NN', weight: 0.4, band: 'optional' },
  { region: 'nl', pattern: 'NN NN LL', weight: 0.4, band: 'optional' },
  { region: 'nl', pattern: 'NN LL NN', weight: 0.4, band: 'optional' },
  { region: 'nl', pattern: 'LL NN LL', weight: 0.5, band: 'optional' },
  { region: 'nl', pattern: 'LL LL NN', weight: 0.5, band: 'optional' },
  { region: 'nl', pattern: 'NN LL LL', weight: 0.5, band: 'optional' }, // sidecodes 1–6 (1951–1999): re-made plates carry the band
  { region: 'be', pattern: '[1-9] LLL NNN', weight: 1.2, band: 'eu' },
  { region: 'be', pattern: 'LLL NNN', weight: 0.4, band: 'eu' },
  { region: 'be', pattern: 'NNN LLL', weight: 0.4, band: 'eu' },
  // Poland (2000+): voivodeship letter + district, then 5 (two-letter area) or 4 (three-letter) in set layouts; serial letters never B D I O Z
  ...['NNNNN', `NNNN${PL_SERIAL}`, `NNN${PL_SERIAL}{2}`, `N${PL_SERIAL}NNN`, `N${PL_SERIAL}{2}NN`].map(
    (tail) => ({ region: 'pl', pattern: `${PL_AREA}L ${tail}`, weight: 1, band: 'eu' }) as const,
  ),
  ...[`${PL_SERIAL}NNN`, `NN${PL_SERIAL}{2}`, `N${PL_SERIAL}NN`, `NN${PL_SERIAL}N`, `N${PL_SERIAL}{2}N`, `${PL_SERIAL}{2}NN`].map(
    (tail) => ({ region: 'pl', pattern: `${PL_AREA}LL ${tail}`, weight: 1, band: 'eu' }) as const,
  ),
  { region: 'pl', pattern: 'LL A{5}', weight: 0.6, band: 'eu' },
  { region: 'pl', pattern: 'LLL A{4,5}', weight: 0.6, band: 'eu' },
  { region: 'cz', pattern: 'N L A NNNN', weight: 1.2, band: 'eu' },
  { region: 'sk', pattern: 'LL NNN LL', weight: 0.8, band: 'eu' },
  { region: 'at', pattern: 'L{1,2} N{1,5} L{1,3}', weight: 0.4, band: 'eu' }, // loose: 30 layouts
  { region: 'ch', pattern: `${CH_CANTONS} N{1,6}`, weight: 1.2 },
  { region: 'se', pattern: `${SE}{3} NN [0-9A-HJ-PR-UW-Z]`, weight: 1, band: 'eu' },
  { region: 'dk', pattern: 'LL NNNNN', weight: 0.8, band: 'eu' },
  { region: 'no', pattern: 'LL NNNNN', weight: 0.8 },
  { region: 'fi', pattern: 'L{2,3} N{1,3}', weight: 0.5, band: 'eu' },
  { region: 'pt', pattern: 'LL NN LL', weight: 0.8, band: 'eu' }, // 2020+
  { region: 'pt', pattern: 'NN LL NN', weight: 0.6, band: 'eu' },
  { region: 'pt', pattern: 'NN NN LL', weight: 0.5 },
  { region: 'pt', pattern: 'LL NN NN', weight: 0.4 },
  { region: 'ro', pattern: 'B NN N? LLL', weight: 1.2, band: 'eu' }, // Bucharest
  // counties: a subset of the UK's layout, and the UK has 4× the vehicles: told apart by a hint
  { region: 'ro', pattern: `${RO_COUNTIES} NN LLL`, weight: 0.5, band: 'eu' },
  { region: 'hu', pattern: 'LLLL NNN', weight: 1, band: 'eu' }, // 2022+
  { region: 'hu', pattern: 'LLL NNN', weight: 0.5, band: 'eu' },
  { region: 'hr', pattern: 'LL N{3,4} L{1,2}', weight: 0.6, band: 'eu' },
  { region: 'si', pattern: `${SI_AREAS} A{4,5}`, weight: 1, band: 'eu' },
  { region: 'bg', pattern: `${CYR}{1,2} NNNN ${CYR}{2}`, weight: 1, band: 'eu' },
  { region: 'gr', pattern: `${GR}{3} NNNN`, weight: 0.6, band: 'eu' }, // a subset of Germany's layouts, a fifteenth of its fleet
  { region: 'lt', pattern: 'LLL NNN', weight: 0.8, band: 'eu' },
  { region: 'lv', pattern: 'LL N{1,4}', weight: 0.5, band: 'eu' },
  { region: 'ee', pattern: 'NNN LLL', weight: 0.8, band: 'eu' },
  { region: 'lu', pattern: 'LL NNNN', weight: 0.6, band: 'eu' },
  { region: 'mt', pattern: 'LLL NNN', weight: 0.6, band: 'eu' },
  { region: 'ua', pattern: `${UA}{2} NNNN ${UA}{2}`, weight: 1.2 },
  { region: 'ru', pattern: `${CYR} NNN ${CYR}{2} N{2,3}`, weight: 1.5 },
  { region: 'tr', pattern: `${TR_PROVINCES} L{1,3} N{2,4}`, weight: 1, band: 'eu' },
  // Americas
  { region: 'br', pattern: 'LLL N L NN', weight: 1.2, band: 'top' }, // Mercosul
  { region: 'br', pattern: 'LLL NNNN', weight: 0.6 }, // old grey / red (superseded 2018)
  { region: 'ar', pattern: 'LL NNN LL', weight: 1, band: 'top' }, // Mercosur
  { region: 'ar', pattern: 'LLL NNN', weight: 0.5 }, // old (superseded 2016)
  { region: 'ar', pattern: 'L NNN LLL', weight: 0.5, band: 'top' }, // Mercosur motorcycle
  { region: 'mx', pattern: 'LLL NNN L', weight: 0.5 },
  // US states: the common passenger series; many states share LLLNNNN, so only a
  // distinctive pattern names the state (see inferRegion)
  { region: 'us-ca', pattern: '[1-9] LLL NNN', weight: 1 },
  { region: 'us-tx', pattern: 'LLL NNNN', weight: 0.7 },
  { region: 'us-tx', pattern: 'LL N L NNN', weight: 0.7 }, // 2009+ series
  { region: 'us-ny', pattern: 'LLL NNNN', weight: 0.7 },
  { region: 'us-pa', pattern: 'LLL NNNN', weight: 0.7 },
  { region: 'us-oh', pattern: 'LLL NNNN', weight: 0.7 },
  { region: 'us-mi', pattern: 'LLL NNNN', weight: 0.7 },
  { region: 'us-mi', pattern: 'N LLL NN', weight: 0.4 },
  { region: 'us-nc', pattern: 'LLL NNNN', weight: 0.7 },
  { region: 'us-ga', pattern: 'LLL NNNN', weight: 0.7 },
  { region: 'us-va', pattern: 'LLL NNNN', weight: 0.7 },
  { region: 'us-wa', pattern: 'LLL NNNN', weight: 0.7 },
  { region: 'us-wa', pattern: 'NNN LLL', weight: 0.3 },
  { region: 'us-az', pattern: 'LLL NNNN', weight: 0.7 },
  { region: 'us-wi', pattern: 'LLL NNNN', weight: 0.5 },
  { region: 'us-fl', pattern: 'LLL LNN', weight: 0.6 },
  { region: 'us-fl', pattern: 'NNN LLL', weight: 0.4 },
  { region: 'us-fl', pattern: 'L NNN LL', weight: 0.4 },
  { region: 'us-il', pattern: 'LL NNNNN', weight: 0.7 },
  { region: 'us-ct', pattern: 'LL NNNNN', weight: 0.5 },
  { region: 'us-nj', pattern: 'L NN LLL', weight: 0.8 },
  { region: 'us-nj', pattern: 'LLL NN L', weight: 0.5 },
  { region: 'us-ma', pattern: 'N LL NNN', weight: 0.5 },
  { region: 'us-ma', pattern: 'NNN LL N', weight: 0.4 },
  { region: 'us-md', pattern: 'N LL NNNN', weight: 1 },
  { region: 'us-mo', pattern: 'LL N L N L', weight: 1 },
  { region: 'us-co', pattern: 'LLL LNN', weight: 0.4 },
  { region: 'us-co', pattern: 'NNN LLL', weight: 0.3 },
  { region: 'us-mn', pattern: 'NNN LLL', weight: 0.4 },
  { region: 'us-la', pattern: 'NNN LLL', weight: 0.4 },
  { region: 'us-ky', pattern: 'NNN LLL', weight: 0.4 },
  { region: 'us-ks', pattern: 'NNN LLL', weight: 0.4 },
  { region: 'us-ak', pattern: 'LLL NNN', weight: 0.4 },
  { region: 'us-hi', pattern: 'LLL NNN', weight: 0.4 },
  { region: 'us-ok', pattern: 'LLL NNN', weight: 0.4 },
  { region: 'us-sc', pattern: 'LLL NNN', weight: 0.4 },
  { region: 'us-ia', pattern: 'LLL NNN', weight: 0.4 },
  { region: 'us-nm', pattern: 'LLL NNN', weight: 0.4 },
  { region: 'us-me', pattern: 'NNNN LL', weight: 0.4 },
  { region: 'us-nh', pattern: 'NNN NNNN', weight: 0.3 },
  { region: 'us-de', pattern: 'N{1,6}', weight: 0.2 },
  // vanity and special plates: any 2–8 characters; says 'us' only (see GENERIC_WEIGHT)
  { region: 'us', pattern: 'A{2,8}', weight: 0.05, catchAll: true },
  // Canada
  { region: 'ca-on', pattern: 'LLLL NNN', weight: 0.8 },
  { region: 'ca-on', pattern: 'LLL NNN', weight: 0.3 },
  { region: 'ca-qc', pattern: 'L NN LLL', weight: 0.5 },
  { region: 'ca-qc', pattern: 'NNN LLL', weight: 0.3 },
  { region: 'ca-bc', pattern: 'LL N NN L', weight: 0.6 },
  { region: 'ca-ab', pattern: 'LLL NNNN', weight: 0.5 },
  // Asia, Oceania, Africa, the Gulf
  { region: 'pk', pattern: 'LLL NNNN', weight: 0.6 },
  { region: 'pk', pattern: 'LLL NNN', weight: 0.7 }, // current Islamabad / Sindh series
  { region: 'pk', pattern: 'LL N{3,4}', weight: 0.6 },
  { region: 'pk', pattern: 'L{2,3} N{1,2}', weight: 0.3 },
  { region: 'in', pattern: `${IN_STATES} N{1,2} L{0,3} N{1,4}`, weight: 1.5 },
  { region: 'in', pattern: 'NN BH NNNN L{1,2}', weight: 1.5 },
  { region: 'au-nsw', pattern: 'LL NN LL', weight: 0.6 },
  { region: 'au-nsw', pattern: 'LLL NN L', weight: 0.6 },
  { region: 'au-vic', pattern: 'N LL N LL', weight: 0.8 },
  { region: 'au-qld', pattern: 'NNN LLL', weight: 0.5 },
  { region: 'au-qld', pattern: 'NNN LL N', weight: 0.5 },
  { region: 'au-wa', pattern: 'N LLL NNN', weight: 0.5 },
  { region: 'au-sa', pattern: 'S NNN LLL', weight: 0.8 },
  { region: 'ae', pattern: 'L N{4,5}', weight: 0.8 }, // Dubai: code letter + number
  { region: 'ae', pattern: 'N{1,2} N{4,5}', weight: 0.3 },
  { region: 'sa', pattern: `N{1,4} ${SA}{3}`, weight: 1 },
  { region: 'qa', pattern: 'N{1,6}', weight: 0.4 },
  { region: 'my', pattern: 'L{1,3} N{1,4} L?', weight: 0.5 },
  { region: 'sg', pattern: 'S L{1,2} N{1,4} L', weight: 1 },
  { region: 'za', pattern: 'LL NN LL GP', weight: 1.5 },
  { region: 'za', pattern: 'LLL NNN (GP|EC|FS|MP|NW|NC)', weight: 1.5 },
  { region: 'za', pattern: 'C[AFJKLXYZ] N{3,6}', weight: 0.8 },
  { region: 'ke', pattern: 'K LL NNN L', weight: 1.2 },
  { region: 'ug', pattern: 'U LL NNN L', weight: 1.2 },
  { region: 'id', pattern: 'L{1,2} N{1,4} L{1,3}', weight: 0.3 },
  // older Australian series (most states, 'ABC 123'): 46 % of plates-openlpr-train's clear
  // Australian plates matched no Australian format without it
  { region: 'au', pattern: 'LLL NNN', weight: 0.4 },
  { region: 'hk', pattern: 'LL N{1,4}', weight: 0.4 },
  { region: 'cu', pattern: 'L NNN NNN', weight: 0.8 }, // type letter (P particular, B state, …) + 6 digits
  // digits only: kept under the weak-detection bar (WEAK_FORMAT 0.5) so watermark numbers stay unverified
  { region: 'il', pattern: 'NN NNN NN', weight: 0.4 },
  { region: 'il', pattern: 'NNN NN NNN', weight: 0.4 },
  { region: 'bh', pattern: 'N{4,6}', weight: 0.3 },
  { region: 'kw', pattern: 'N{1,2} N{4,5}', weight: 0.3 },
  { region: 'je', pattern: 'J N{1,6}', weight: 1 },
];

/** Regions whose plates carry the EU blue band (members, EFTA, candidates using it). */
export const EU_BAND_REGIONS = new Set(
  'at be bg ch cy cz de dk ee es fi fr gb gr hr hu ie it lt lu lv mt nl no pl pt ro se si sk ua'.split(' '),
);
/** Regions on the Mercosul/Mercosur design (blue top band). */
export const MERCOSUR_REGIONS = new Set(['br', 'ar', 'uy', 'py']);

/** Country of a region code: 'us-ca' → 'us'. */
export const countryOf = (region: string) => region.split('-')[0];

// ---------------------------------------------------------------------------------------
// Pattern expansion

type Chunk = { set: string } | { words: string[] };
export interface FixedFormat {
  region: string;
  weight: number;
  band?: Band;
  chunks: Chunk[];
  length: number;
}

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const DIGITS = '0123456789';

function parseClass(body: string): string {
  let out = '';
  for (let i = 0; i < body.length; i++) {
    if (body[i + 1] === '-' && i + 2 < body.length) {
      for (let c = body.charCodeAt(i); c <= body.charCodeAt(i + 2); c++) out += String.fromCharCode(c);
      i += 2;
    } else out += body[i];
  }
  return out;
}

type Token = { alts: string[][] | null; set: string | null; min: number; max: number };

function tokenize(pattern: string, literal = false): Token[] {
  const p = pattern.replace(/\s+/g, '');
  const toks: Token[] = [];
  let i = 0;
  while (i < p.length) {
    const c = p[i];
    let t: Token;
    if (!literal && (c === 'L' || c === 'N' || c === 'A')) {
      t = { set: c === 'L' ? LETTERS : c === 'N' ? DIGITS : LETTERS + DIGITS, alts: null, min: 1, max: 1 };
      i++;
    } else if (c === '[') {
      const j = p.indexOf(']', i);
      t = { set: parseClass(p.slice(i + 1, j)), alts: null, min: 1, max: 1 };
      i = j + 1;
    } else if (c === '(') {
      const j = p.indexOf(')', i);
      // each alternative is itself a small pattern (e.g. 'BNN' or '97N'): expand it
      const alts = p.slice(i + 1, j).split('|').flatMap((a) => expandTokens(tokenize(a, true)));
      t = { set: null, alts, min: 1, max: 1 };
      i = j + 1;
    } else if (/[0-9]/.test(c) || /[A-Z]/.test(c)) {
      t = { set: c, alts: null, min: 1, max: 1 }; // a literal (the S of South Australia)
      i++;
    } else throw new Error(`format pattern ${pattern}: unexpected '${c}'`);
    if (p[i] === '?') {
      t.min = 0;
      i++;
    } else if (p[i] === '{') {
      const j = p.indexOf('}', i);
      const [a, b] = p.slice(i + 1, j).split(',').map(Number);
      t.min = a;
      t.max = b ?? a;
      i = j + 1;
    }
    toks.push(t);
  }
  return toks;
}

/** Every fixed sequence of position sets a token list allows (literal sets as one-char strings). */
function expandTokens(toks: Token[]): string[][] {
  let acc: string[][] = [[]];
  for (const t of toks) {
    const next: string[][] = [];
    for (const a of acc) {
      for (let k = t.min; k <= t.max; k++) {
        if (t.set !== null) next.push([...a, ...Array(k).fill(t.set)]);
        else {
          let partial: string[][] = [a];
          for (let r = 0; r < k; r++) partial = partial.flatMap((x) => t.alts!.map((alt) => [...x, ...alt]));
          next.push(...partial);
        }
      }
    }
    acc = next;
  }
  return acc;
}

/**
 * Expand a pattern into fixed-length formats. Runs of single-character positions that came
 * from literal alternatives are kept as word lists (37 Indian state codes stay one chunk).
 */
export function expandPattern(def: FormatDef): FixedFormat[] {
  const toks = tokenize(def.pattern);
  // expand, but keep each alternative group as a word chunk so the product stays small
  let acc: Chunk[][] = [[]];
  for (const t of toks) {
    const next: Chunk[][] = [];
    for (const a of acc) {
      for (let k = t.min; k <= t.max; k++) {
        if (t.set !== null) next.push([...a, ...Array.from({ length: k }, () => ({ set: t.set! }))]);
        else {
          const byLen = new Map<number, string[]>();
          for (const alt of t.alts!) {
            // an alternative is a list of sets; enumerate its words
            let words = [''];
            for (const s of alt) words = words.flatMap((w) => [...s].map((ch) => w + ch));
            for (const w of words) byLen.set(w.length, [...(byLen.get(w.length) ?? []), w]);
          }
          let partial: Chunk[][] = [a];
          for (let r = 0; r < k; r++) partial = partial.flatMap((x) => [...byLen.values()].map((ws) => [...x, { words: ws }]));
          next.push(...partial);
        }
      }
    }
    acc = next;
  }
  return acc
    .map((chunks) => ({
      region: def.region,
      weight: def.catchAll ? def.weight : def.weight * specificity(chunks),
      band: def.band,
      chunks,
      length: chunks.reduce((n, c) => n + ('set' in c ? 1 : c.words[0].length), 0),
    }))
    .filter((f) => f.length > 0);
}

/** Bits of information a layout fixes, for full weight (≈ two digit-only positions). */
const FULL_WEIGHT_BITS = 4;

/**
 * How much matching a layout says, 0.2..1: the bits its positions fix against any of the
 * 36 characters (a digit-only position 1.85, a letter-only 0.47, an area-code pair ~7,
 * 'either' 0), over FULL_WEIGHT_BITS. Loose layouts (Poland's 'LL' + 5 of either) would
 * otherwise match, and pull, almost any reading.
 */
export function specificity(chunks: readonly Chunk[]): number {
  let bits = 0;
  for (const c of chunks) {
    bits += 'set' in c ? Math.log2(36 / c.set.length) : Math.log2(36 ** c.words[0].length / c.words.length);
  }
  return Math.max(0.2, Math.min(1, bits / FULL_WEIGHT_BITS));
}

function buildIndex(defs: readonly FormatDef[]): Map<number, FixedFormat[]> {
  const byLen = new Map<number, FixedFormat[]>();
  for (const d of defs) for (const f of expandPattern(d)) byLen.set(f.length, [...(byLen.get(f.length) ?? []), f]);
  return byLen;
}

let index: Map<number, FixedFormat[]> | null = null;
/** Layouts of a length; the table expands on first use (≈ 10–30 ms), not when a VIN-only app loads. */
const layouts = (length: number) => (index ??= buildIndex(FORMATS)).get(length) ?? [];

export function matchesFixed(f: FixedFormat, text: string): boolean {
  if (text.length !== f.length) return false;
  let i = 0;
  for (const c of f.chunks) {
    if ('set' in c) {
      if (!c.set.includes(text[i])) return false;
      i++;
    } else {
      const n = c.words[0].length;
      if (!c.words.includes(text.slice(i, i + n))) return false;
      i += n;
    }
  }
  return true;
}

export interface FormatMatch {
  region: string;
  weight: number;
  band?: Band;
}

/** The formats a text matches (one entry per fixed layout). */
export function matchFormats(text: string): FormatMatch[] {
  const up = text.toUpperCase();
  return layouts(up.length).filter((f) => matchesFixed(f, up)).map((f) => ({ region: f.region, weight: f.weight, band: f.band }));
}

// ---------------------------------------------------------------------------------------
// Priors and confusions

/** Does a region code satisfy a hint? 'us' ⊇ 'us-ca'; 'eu' ⊇ the EU-band countries. */
export function hintMatches(hint: string, code: string): boolean {
  const h = hint.toLowerCase();
  return h === code || code.startsWith(h + '-') || (h === 'eu' && EU_BAND_REGIONS.has(countryOf(code))) || (code === 'us' && h.startsWith('us-'));
}

/** How much a region hint raises its formats' weight. */
export const HINT_FACTOR = 3;
/** Weight cap (hinted distinctive formats) so the prior never swamps the reader. */
const MAX_WEIGHT = 3;

/**
 * The format weight of a text for ranking: its best matching format, capped at 1 (how
 * distinctive a format is says which region, not how likely the string is), then raised
 * for hinted regions — and, without a hint, by the plate's look: a format of the country
 * the plate looks like (the reader's region output) is raised towards the hint factor in
 * proportion to that look's probability, so `IHF5132` (Brazil's LLL NNNN) beats `1HF5132`
 * (a loose US layout) on a plate that looks Brazilian. Countries without a look class keep
 * their plain weight.
 */
export function formatWeight(text: string, hints?: readonly string[], looks?: Appearance): number {
  let w = 0;
  for (const m of matchFormats(text)) {
    const hinted = hints?.some((h) => hintMatches(h, m.region));
    const factor = hinted ? HINT_FACTOR : looks ? 1 + (HINT_FACTOR - 1) * (looks.get(countryOf(m.region)) ?? 0) : 1;
    w = Math.max(w, Math.min(1, m.weight) * factor);
  }
  return Math.min(w, MAX_WEIGHT);
}

/**
 * Characters plate fonts make look alike, both ways. Letter↔digit pairs fix a position's
 * class; the few letter↔letter pairs serve countries that leave letters out (es, fr, it, nl).
 */
const CONFUSABLE_PAIRS = ['0O', '0D', '0Q', '0U', '1I', '1L', '1T', '1J', '2Z', '5S', '6G', '8B', '4A', '3E', '7T', '7Z', '9G', 'OD', 'OQ', 'UV', 'IJ', 'CG', 'EF', 'PR', 'MW', 'MN', 'KX'];
const CONFUSABLE = new Map<string, Set<string>>();
for (const [a, b] of CONFUSABLE_PAIRS) {
  if (!CONFUSABLE.has(a)) CONFUSABLE.set(a, new Set());
  if (!CONFUSABLE.has(b)) CONFUSABLE.set(b, new Set());
  CONFUSABLE.get(a)!.add(b);
  CONFUSABLE.get(b)!.add(a);
}
export const isConfusable = (a: string, b: string) => CONFUSABLE.get(a)?.has(b) ?? false;

export interface PriorParams {
  /** Ranking bonus per unit of format weight: rank = score × (1 + gain × weight). */
  gain: number;
  /**
   * Probability given to a confusable swap the reader did not list among its alternatives:
   * at 0.03 one such swap on a 7-character plate costs ×0.61 (geometric mean), which a
   * current national format (×2.5 at gain 1.5) outweighs against a loosely matched
   * reading, and two (×0.38) do not.
   */
  confusionProb: number;
  /**
   * …but never more than this share of what the reader left to other characters (1 − its
   * probability): a character the reader is sure of (0.999) is not swapped on format alone.
   */
  residual: number;
  /**
   * A reading with an edge character dropped (a band letter, bolt or frame edge read as a
   * character) scores as if that position had probability (1 − its reader probability) of
   * being spurious, times this: a confident character is never dropped.
   */
  dropPenalty: number;
  /**
   * Also drop one inner character (CTC can split a wide glyph into two), at this factor;
   * 0: edges only. Off: no gain on the training plates with the shipped reader.
   */
  innerDropPenalty: number;
}

/**
 * With the from-scratch reader these were tuned on training plates (tools/bench/tune-formats.ts):
 * gain 1.5, confusionProb 0.03 lifted mean exact 55.3 → 61.1 %. The fine-tuned PP-OCR reader is
 * far surer of itself, and that setting then cost 1.8 points end to end on plates-openlpr-val
 * (83.5 vs 85.3 % without the prior). Its training plates cannot re-tune it (the reader was
 * trained on them), so the prior is now a tie-breaker: gain 0.25–0.5 with confusionProb
 * 0.003–0.03 all measured 85.3–85.7 % end to end and 93.2 % on held-out crops (93.6 without),
 * top-5 on crops 97.1 vs 96.2 %.
 */
export const DEFAULT_PRIOR: PriorParams = { gain: 0.5, confusionProb: 0.01, residual: 1, dropPenalty: 0.9, innerDropPenalty: 0 };

/** The reader's probability of `c` at a position, with the confusion floor; 0 when unsupported. */
export function charProb(ch: CtcChar, c: string, params: PriorParams = DEFAULT_PRIOR): number {
  if (c === ch.char) return ch.prob;
  const alt = ch.alts.find((a) => a.char === c)?.prob ?? 0;
  return isConfusable(ch.char, c) ? Math.max(alt, Math.min(params.confusionProb, params.residual * (1 - ch.prob))) : alt;
}

/** The likeliest string of one fixed format given the characters, or null when none fits. */
export function bestFit(
  f: FixedFormat,
  chars: readonly CtcChar[],
  params: PriorParams = DEFAULT_PRIOR,
): { text: string; probs: number[] } | null {
  if (chars.length !== f.length) return null;
  let text = '';
  const probs: number[] = [];
  let i = 0;
  for (const c of f.chunks) {
    if ('set' in c) {
      const ch = chars[i];
      let best = '', bp = 0;
      if (c.set.includes(ch.char)) {
        best = ch.char;
        bp = ch.prob;
      } else {
        for (const a of ch.alts) {
          if (a.prob > bp && c.set.includes(a.char)) {
            best = a.char;
            bp = a.prob;
          }
        }
        for (const s of CONFUSABLE.get(ch.char) ?? []) {
          if (!c.set.includes(s)) continue;
          const p = charProb(ch, s, params);
          if (p > bp) {
            best = s;
            bp = p;
          }
        }
      }
      if (!bp) return null;
      text += best;
      probs.push(bp);
      i++;
    } else {
      const n = c.words[0].length;
      let best = '', bl = -Infinity;
      for (const w of c.words) {
        let l = 0;
        for (let k = 0; k < n && l > -Infinity; k++) l += Math.log(charProb(chars[i + k], w[k], params));
        if (l > bl) {
          best = w;
          bl = l;
        }
      }
      if (!best) return null;
      text += best;
      for (let k = 0; k < n; k++) probs.push(charProb(chars[i + k], best[k], params));
      i += n;
    }
  }
  return { text, probs };
}

export interface RankedReading extends Reading {
  /** score × format prior: the order of the candidates. */
  rank: number;
  /** Best matching format weight (hints applied), 0 when none. */
  formatWeight: number;
}

/**
 * Re-rank readings with the format prior. `readings` are the reader's own (kept whatever
 * they match); with `chars`, format-consistent variants are added: per fixed format of the
 * same length its likeliest string, and the same with a spurious first or last character
 * dropped. Distinct strings, best first.
 */
export function rankReadings(
  readings: readonly Reading[],
  chars: readonly CtcChar[] | null,
  hints?: readonly string[],
  params: PriorParams = DEFAULT_PRIOR,
  looks?: Appearance,
): RankedReading[] {
  const pool = new Map<string, Reading>();
  const add = (r: Reading) => {
    const cur = pool.get(r.text);
    if (!cur || cur.score < r.score) pool.set(r.text, r);
  };
  readings.forEach(add);
  // a variant this far below the reader's best can never outrank it (the prior's largest
  // ratio is 1 + gain × MAX_WEIGHT): it would only pad the candidates or slip through textFormats
  const best = Math.max(0, ...readings.map((r) => r.score), chars?.length ? readingScore(chars.map((c) => c.prob)) : 0);
  const floor = best / (1 + params.gain * MAX_WEIGHT);
  if (chars?.length) {
    const fit = (cs: readonly CtcChar[], dropped?: CtcChar, penalty = params.dropPenalty) => {
      for (const f of layouts(cs.length)) {
        const v = bestFit(f, cs, params);
        if (!v) continue;
        const score = dropped ? readingScore([...v.probs, Math.max(1e-6, 1 - dropped.prob)]) * penalty : readingScore(v.probs);
        if (score >= floor) add({ text: v.text, score });
      }
    };
    fit(chars);
    if (chars.length >= 3) {
      fit(chars.slice(1), chars[0]);
      fit(chars.slice(0, -1), chars[chars.length - 1]);
      if (params.innerDropPenalty > 0) {
        for (let i = 1; i < chars.length - 1; i++) fit([...chars.slice(0, i), ...chars.slice(i + 1)], chars[i], params.innerDropPenalty);
      }
    }
  }
  const ranked = [...pool.values()].map((r) => {
    const w = formatWeight(r.text, hints, looks);
    return { ...r, formatWeight: w, rank: r.score * (1 + params.gain * w) };
  });
  // ties (equal rank) keep the reader's order: the sort is stable over insertion order
  return ranked.sort((a, b) => b.rank - a.rank);
}
