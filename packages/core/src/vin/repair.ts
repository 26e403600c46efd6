/**
 * Rule-aware VIN repair: from a 17-character reading with the recogniser's per-position
 * alternatives (CTC probabilities), the likeliest string that passes the region rules
 * (./regions.ts). Where the model proposed nothing usable, look-alikes that stamped and
 * dot-peened glyphs are known to be read for (V/U, S/5, 8/B, Z/2, M/H, D/0, G/6) stand in
 * with a small prior probability.
 *
 * Positional rules (9th digit or X, model-year code, last four digits) are met position
 * by position with the best allowed choice; the check digit, a constraint on the whole
 * string, by the cheapest one (or, with two hesitant positions, two) substitutions.
 */
import { computeCheckDigit, isVinSyntax, VIN_LENGTH } from './check-digit.ts';
import { allowedAt, passesRules, rulesFor, rulesForVin, type VinRules } from './regions.ts';
import { lookupWmi } from './wmi/index.ts';

export interface Slot {
  ch: string;
  prob: number;
  alts: readonly { char: string; prob: number }[];
}

export interface Repaired {
  vin: string;
  /** Probability of each chosen character (its alternative's where it was changed). */
  probs: number[];
  /** Positions changed from the reading. */
  changed: number[];
  rules: VinRules;
  /** −log of the probability ratio (chosen / read) summed over the changes. */
  cost: number;
}

/** Look-alike pairs of stamped / dot-peened / worn glyphs (both ways). */
const LOOKALIKES: readonly [string, string][] = [
  ['V', 'U'], ['S', '5'], ['8', 'B'], ['Z', '2'], ['M', 'H'], ['D', '0'], ['G', '6'],
];
/** Probability given to a look-alike the recogniser did not propose itself. */
export const LOOKALIKE_PRIOR = 0.03;
/** Least probability of an alternative used to satisfy the check digit. */
export const REPAIR_MIN_PROB = 0.02;
/** …for each of two changes made together (only real hesitation between two glyphs). */
const PAIR_MIN_PROB = 0.1;
/** …for a change in the WMI that moves the VIN to other rules (a North-American 2 read as Z). */
const WMI_ALT_MIN_PROB = 0.15;

const lookalike = new Map<string, string[]>();
for (const [a, b] of LOOKALIKES) {
  lookalike.set(a, [...(lookalike.get(a) ?? []), b]);
  lookalike.set(b, [...(lookalike.get(b) ?? []), a]);
}

/** Choices at one position: the reading, its alternatives, then look-alikes; best first. */
export function choices(s: Slot): { char: string; prob: number; proposed: boolean }[] {
  const m = new Map<string, { char: string; prob: number; proposed: boolean }>();
  m.set(s.ch, { char: s.ch, prob: s.prob, proposed: true });
  for (const a of s.alts) if (!m.has(a.char) || m.get(a.char)!.prob < a.prob) m.set(a.char, { char: a.char, prob: a.prob, proposed: true });
  for (const c of lookalike.get(s.ch) ?? []) if (!m.has(c)) m.set(c, { char: c, prob: LOOKALIKE_PRIOR, proposed: false });
  return [...m.values()].sort((a, b) => b.prob - a.prob);
}

const ratioCost = (read: number, chosen: number) => Math.log(Math.max(read, 1e-6)) - Math.log(Math.max(chosen, 1e-6));

/** Repair under one rule set; null when no string within reach passes it. */
function repairWith(slots: readonly Slot[], rules: VinRules, regions: readonly string[] | undefined): Repaired | null {
  const chars: string[] = [];
  const probs: number[] = [];
  const opts = slots.map(choices);
  for (let i = 0; i < VIN_LENGTH; i++) {
    const allowed = allowedAt(i, rules);
    const c = opts[i].find((o) => allowed.includes(o.char));
    if (!c) return null;
    chars.push(c.char);
    probs.push(c.prob);
  }
  if (rules.checkDigit && computeCheckDigit(chars.join('')) !== chars[8]) {
    const fix = checkDigitFix(chars, probs, opts, rules);
    if (!fix) return null;
    for (const [i, c] of fix) {
      chars[i] = c.char;
      probs[i] = c.prob;
    }
  }
  const vin = chars.join('');
  if (!isVinSyntax(vin) || !passesRules(vin, regions)) return null;
  const changed = chars.flatMap((c, i) => (c === slots[i].ch ? [] : [i]));
  const cost = changed.reduce((s, i) => s + ratioCost(slots[i].prob, probs[i]), 0);
  return { vin, probs, changed, rules, cost };
}

type Choice = { char: string; prob: number; proposed: boolean };

/** The cheapest one (else two) substitutions that make the check digit hold. */
function checkDigitFix(chars: string[], probs: number[], opts: Choice[][], rules: VinRules): [number, Choice][] | null {
  const cand: [number, Choice][] = [];
  for (let i = 0; i < VIN_LENGTH; i++) {
    const allowed = allowedAt(i, rules);
    for (const o of opts[i]) if (o.char !== chars[i] && o.prob >= REPAIR_MIN_PROB && allowed.includes(o.char)) cand.push([i, o]);
  }
  const validWith = (subs: [number, Choice][]) => {
    const v = [...chars];
    for (const [i, c] of subs) v[i] = c.char;
    const s = v.join('');
    return computeCheckDigit(s) === s[8];
  };
  let best: [number, Choice][] | null = null;
  let bestCost = Infinity;
  for (const s of cand) {
    const cost = ratioCost(probs[s[0]], s[1].prob);
    if (cost < bestCost && validWith([s])) {
      best = [s];
      bestCost = cost;
    }
  }
  if (best) return best;
  const strong = cand.filter(([, c]) => c.proposed && c.prob >= PAIR_MIN_PROB);
  for (let a = 0; a < strong.length; a++) {
    for (let b = a + 1; b < strong.length; b++) {
      if (strong[a][0] === strong[b][0]) continue;
      const cost = ratioCost(probs[strong[a][0]], strong[a][1].prob) + ratioCost(probs[strong[b][0]], strong[b][1].prob);
      if (cost < bestCost && validWith([strong[a], strong[b]])) {
        best = [strong[a], strong[b]];
        bestCost = cost;
      }
    }
  }
  return best;
}

/**
 * Readings of `slots` that pass the rules (those of `regions`, else of each WMI within
 * reach), cheapest first, one per distinct VIN. Empty: nothing within reach passes.
 */
export function repairUnderRules(slots: readonly Slot[], regions?: readonly string[]): Repaired[] {
  if (slots.length !== VIN_LENGTH) return [];
  const read = slots.map((s) => s.ch).join('');
  const sets: VinRules[] = [];
  if (regions && regions.length) sets.push(...rulesFor(read, regions));
  else {
    // the rules follow the WMI, and a hesitant WMI character may change which apply
    sets.push(rulesForVin(read));
    for (let i = 0; i < 3; i++) {
      for (const a of slots[i].alts) {
        if (a.prob < WMI_ALT_MIN_PROB || a.char === slots[i].ch) continue;
        // only towards a WMI vPIC lists: an unlisted one is no evidence for other rules
        const v = read.slice(0, i) + a.char + read.slice(i + 1);
        if (lookupWmi(v).manufacturer === null) continue;
        const r = rulesForVin(v);
        if (!sets.some((s) => s.region === r.region)) sets.push(r);
      }
    }
  }
  const out = new Map<string, Repaired>();
  for (const rules of sets) {
    const r = repairWith(slots, rules, regions);
    if (r && (!out.has(r.vin) || out.get(r.vin)!.cost > r.cost)) out.set(r.vin, r);
  }
  return [...out.values()].sort((a, b) => a.cost - b.cost);
}
