/**
 * Edit-distance alignment of two readings. The vote uses it to fold a frame that read one
 * character more or less (a dropped or doubled CTC symbol) into the positions of the
 * consensus instead of discarding the whole frame; the tracker uses the distance as its
 * reading-similarity signal.
 */

/** Levenshtein distance (unit costs). */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}

/** 1 for equal readings, 0 for nothing in common (distance ≥ the longer length). */
export function readingSimilarity(a: string, b: string): number {
  const n = Math.max(a.length, b.length);
  return n === 0 ? 1 : 1 - editDistance(a, b) / n;
}

/**
 * Pairs [i in `from`, j in `to`] of an optimal alignment that are matches or substitutions
 * (insertions and deletions pair with nothing). Ties prefer substitution, so readings of
 * equal length align position by position.
 */
export function alignPairs(from: string, to: string): [number, number][] {
  const n = from.length;
  const m = to.length;
  const d: number[][] = Array.from({ length: n + 1 }, (_, i) => Array.from({ length: m + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= n; i++) {
    for (let j = 1; j <= m; j++) {
      d[i][j] = Math.min(d[i - 1][j - 1] + (from[i - 1] === to[j - 1] ? 0 : 1), d[i - 1][j] + 1, d[i][j - 1] + 1);
    }
  }
  const pairs: [number, number][] = [];
  let i = n;
  let j = m;
  while (i > 0 && j > 0) {
    const diag = d[i - 1][j - 1] + (from[i - 1] === to[j - 1] ? 0 : 1);
    if (d[i][j] === diag) {
      pairs.push([i - 1, j - 1]);
      i--;
      j--;
    } else if (d[i][j] === d[i - 1][j] + 1) i--;
    else j--;
  }
  return pairs.reverse();
}
