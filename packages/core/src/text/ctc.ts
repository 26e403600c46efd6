/**
 * CTC decoding with per-character confidences and alternatives, over a class set
 * folded into groups (e.g. PP-OCR's 6 625 classes → upper-case alnum, space,
 * punctuation). Folding sums probabilities, so a lower-case 'b' supports 'B', and
 * classes outside the groups (CJK) are dropped and the rest renormalised.
 */
export interface CtcChar {
  /** Emitted symbol. */
  char: string;
  /** Its probability (max over the frames of its run). */
  prob: number;
  /** Next-best non-blank symbols at that frame, best first. */
  alts: { char: string; prob: number }[];
  /** Frame index (centre of the run) — maps back to a position in the crop. */
  frame: number;
  /** Most of its probability came from lower-case classes (folding merged them). */
  lower?: boolean;
}

export interface ClassFolding {
  /** Symbols of the groups; index 0 is the CTC blank (''). */
  symbols: string[];
  /** For each model class: its group index, or -1 to drop it. */
  groupOf: Int32Array;
  /** For each model class: 1 when it is a lower-case letter folded into upper case. */
  lowerCase?: Uint8Array;
}

/** Build a folding from the model's class list (index 0 = blank) and a symbol mapper. */
export function buildFolding(classes: readonly string[], map: (cls: string) => string | null): ClassFolding {
  const symbols = [''];
  const index = new Map<string, number>();
  const groupOf = new Int32Array(classes.length).fill(-1);
  const lowerCase = new Uint8Array(classes.length);
  groupOf[0] = 0;
  for (let c = 1; c < classes.length; c++) {
    const s = map(classes[c]);
    if (s === null) continue;
    let g = index.get(s);
    if (g === undefined) {
      g = symbols.length;
      symbols.push(s);
      index.set(s, g);
    }
    groupOf[c] = g;
    if (/^[a-z]$/.test(classes[c])) lowerCase[c] = 1;
  }
  return { symbols, groupOf, lowerCase };
}

/** The identity folding for a model whose classes are [blank, ...alphabet]. */
export function identityFolding(alphabet: string): ClassFolding {
  const symbols = ['', ...alphabet];
  return { symbols, groupOf: Int32Array.from(symbols, (_, i) => i) };
}

/**
 * Greedy CTC decode of one sequence. `probs` holds T×C probabilities starting at
 * `offset`. Returns the characters with their confidences and top alternatives.
 */
export function ctcGreedy(
  probs: Float32Array,
  T: number,
  C: number,
  folding: ClassFolding,
  offset = 0,
  topAlts = 3,
): CtcChar[] {
  const G = folding.symbols.length;
  const g = new Float64Array(G);
  const out: CtcChar[] = [];
  let prev = 0;
  let run: CtcChar | null = null;
  let runStart = 0;
  for (let t = 0; t < T; t++) {
    g.fill(0);
    const base = offset + t * C;
    for (let c = 0; c < C; c++) {
      const k = folding.groupOf[c];
      if (k >= 0) g[k] += probs[base + c];
    }
    let total = 0;
    for (let k = 0; k < G; k++) total += g[k];
    if (total <= 0) total = 1;
    let best = 0;
    for (let k = 1; k < G; k++) if (g[k] > g[best]) best = k;
    if (best !== 0 && best !== prev) {
      // a new character starts
      run = { char: folding.symbols[best], prob: g[best] / total, alts: topK(g, total, best, topAlts, folding.symbols), frame: t };
      if (folding.lowerCase) {
        let low = 0;
        for (let c = 0; c < C; c++) if (folding.groupOf[c] === best && folding.lowerCase[c]) low += probs[base + c];
        if (low > g[best] / 2) run.lower = true;
      }
      runStart = t;
      out.push(run);
    } else if (best !== 0 && run) {
      // same character continues: keep its most confident frame, centre its position
      run.frame = (runStart + t) / 2;
      if (g[best] / total > run.prob) {
        run.prob = g[best] / total;
        run.alts = topK(g, total, best, topAlts, folding.symbols);
      }
    }
    prev = best;
  }
  return out;
}

function topK(g: Float64Array, total: number, skip: number, k: number, symbols: string[]): { char: string; prob: number }[] {
  const alts: { char: string; prob: number }[] = [];
  for (let i = 1; i < g.length; i++) {
    if (i === skip || g[i] <= 0) continue;
    alts.push({ char: symbols[i], prob: g[i] / total });
  }
  alts.sort((a, b) => b.prob - a.prob);
  return alts.slice(0, k);
}

export const textOf = (chars: readonly CtcChar[]) => chars.map((c) => c.char).join('');
