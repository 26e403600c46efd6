/**
 * A box that hugs the glyphs of a VIN, in original pixels. The recogniser gives each
 * character a position along its line (CTC frames), which fixes the VIN's ends to about
 * a glyph; the line's quad is the text detector's, grown on every side (DB unclip) and
 * padded at the ends for the reader. Inside the quad between the first and last glyph
 * the ink is found from image gradients (print, relief edges of stamped metal and dot
 * rims alike): the band of rows that holds most of it, then the columns of the runs of
 * ink that overlap the glyph span. Mapped back through the quad, so tilted and vertical
 * lines work the same.
 */
import { luma, warpQuad, type Point, type RawImage } from '../image/raw-image.ts';
import type { Box } from '../schemas.ts';
import { quadBounds, quadPoint } from '../text/geometry.ts';

/** Sampling height of the rectified window. */
const H = 48;
/** Extra room at both ends, × quad thickness (the glyph-position estimate is ± a frame). */
const END_ROOM = 0.1;
/** Row / column thresholds between background and peak energy. */
const ROW_LEVEL = 0.35;
const COL_LEVEL = 0.2;

const dist = (a: Point, b: Point) => Math.hypot(b.x - a.x, b.y - a.y);

/**
 * `quad` [tl, tr, br, bl] runs from the first glyph's left edge estimate to the last one's
 * right (full line thickness); `inset` is how far inside each end the glyph centres sit,
 * as a fraction of its length. Null when the ink cannot be told from the background.
 */
export function glyphBox(img: RawImage, quad: readonly Point[], inset: [number, number] = [0, 0]): Box | null {
  if (quad.length !== 4) return null;
  const [tl, tr, , bl] = quad;
  const len = dist(tl, tr), thick = dist(tl, bl);
  if (len < 8 || thick < 4) return null;
  const ext = (END_ROOM * thick) / len;
  const q = [quadPoint(quad, -ext, 0), quadPoint(quad, 1 + ext, 0), quadPoint(quad, 1 + ext, 1), quadPoint(quad, -ext, 1)];
  const W = Math.max(32, Math.min(2048, Math.round((H * len * (1 + 2 * ext)) / thick)));
  const crop = warpQuad(img, q, W, H);
  const g = luma(crop);
  const e = new Float32Array(W * H);
  for (let y = 1; y < H - 1; y++) {
    for (let x = 1; x < W - 1; x++) {
      const i = y * W + x;
      e[i] = Math.abs(g[i + 1] - g[i - 1]) + Math.abs(g[i + W] - g[i - W]);
    }
  }
  // rows: the band around the strongest row
  const rows = smooth(Array.from({ length: H }, (_, y) => sumRow(e, W, y, 0, W)));
  const band = bandAround(rows, ROW_LEVEL);
  if (!band) return null;
  const [y0, y1] = band;
  if (y1 - y0 < 0.25 * H) return null;
  // columns within the band: runs of ink, kept where they overlap the glyph span
  const cols = smooth(Array.from({ length: W }, (_, x) => sumCol(e, W, x, y0, y1)));
  const lo = percentile(cols, 0.1), hi = percentile(cols, 0.95);
  if (hi <= lo * 1.5) return null;
  const thr = lo + COL_LEVEL * (hi - lo);
  const toX = (u: number) => ((u + ext) / (1 + 2 * ext)) * W;
  const spanA = toX(inset[0]) - 0.15 * H, spanB = toX(1 - inset[1]) + 0.15 * H;
  let x0 = Infinity, x1 = -Infinity;
  for (let x = 0; x < W; ) {
    if (cols[x] < thr) {
      x++;
      continue;
    }
    let end = x;
    while (end + 1 < W && cols[end + 1] >= thr) end++;
    if (end >= spanA && x <= spanB) {
      x0 = Math.min(x0, x);
      x1 = Math.max(x1, end + 1);
    }
    x = end + 1;
  }
  if (!(x1 > x0) || x1 - x0 < 0.5 * (toX(1 - inset[1]) - toX(inset[0]))) return null;
  const pts = [
    quadPoint(q, x0 / W, y0 / H),
    quadPoint(q, x1 / W, y0 / H),
    quadPoint(q, x1 / W, y1 / H),
    quadPoint(q, x0 / W, y1 / H),
  ];
  return quadBounds(pts);
}

function sumRow(e: Float32Array, W: number, y: number, x0: number, x1: number): number {
  let s = 0;
  for (let x = x0; x < x1; x++) s += e[y * W + x];
  return s;
}

function sumCol(e: Float32Array, W: number, x: number, y0: number, y1: number): number {
  let s = 0;
  for (let y = y0; y < y1; y++) s += e[y * W + x];
  return s;
}

function smooth(a: number[]): number[] {
  return a.map((v, i) => (a[Math.max(0, i - 1)] + 2 * v + a[Math.min(a.length - 1, i + 1)]) / 4);
}

function percentile(a: readonly number[], q: number): number {
  const s = [...a].sort((x, y) => x - y);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
}

/** [start, end) of the run of rows above the level around the strongest one. */
function bandAround(rows: number[], level: number): [number, number] | null {
  let peak = 0;
  for (let i = 1; i < rows.length; i++) if (rows[i] > rows[peak]) peak = i;
  const bg = percentile(rows, 0.1);
  if (rows[peak] <= bg * 1.3) return null;
  const thr = bg + level * (rows[peak] - bg);
  let a = peak, b = peak;
  while (a > 0 && rows[a - 1] >= thr) a--;
  while (b + 1 < rows.length && rows[b + 1] >= thr) b++;
  return [a, b + 1];
}
