/**
 * Words printed around a plate's registration — the state or province name above it, a slogan
 * below ('NEW YORK', 'VIRGINIA', 'EMPIRE STATE') — read with the general text recogniser, so
 * the region decision can name the state the layout alone cannot (regions.ts regionFromText):
 * 'WASHINGTON' on the plate says us-wa whatever its ABC1234 suggests.
 *
 * Only for countries whose plates carry such words (US, Canada, Australia) and boxes wide
 * enough for them to be legible: on plates-openlpr-val the strips of US plates ≥ 120 px wide
 * read NEW YORK / VIRGINIA, narrower ones nothing usable.
 */
import { coveringRect, type PixelSource } from '../image/pixel-source.ts';
import type { Point } from '../image/raw-image.ts';
import type { Engine } from '../runtime/engine.ts';
import type { Box } from '../schemas.ts';
import { recognizeLines, type LineReader } from '../text/recognize-text.ts';

/** Countries whose plates name their state / province in words. */
export const WORDED_COUNTRIES: ReadonlySet<string> = new Set(['us', 'ca', 'au']);

/** Narrower boxes (original-image pixels) print their words too small to read. */
export const WORDS_MIN_WIDTH = 100;

/** The strips around the registration, as fractions of the box: above its characters and below them. */
const STRIPS: readonly [number, number][] = [
  [-0.05, 0.32],
  [0.72, 1.08],
];

/** Should this plate's words be read: a worded country, no state named yet, a legible size? */
export function wantsWords(region: string | undefined, box: Box): boolean {
  if (box.xmax - box.xmin < WORDS_MIN_WIDTH) return false;
  return !region || (WORDED_COUNTRIES.has(region) && !region.includes('-'));
}

/** The text of the strips above and below the registration, joined by ' ' (empty when nothing reads). */
export async function readPlateWords(engine: Engine, reader: LineReader, src: PixelSource, box: Box): Promise<string> {
  const w = box.xmax - box.xmin, h = box.ymax - box.ymin;
  const x0 = box.xmin - 0.02 * w, x1 = box.xmax + 0.02 * w;
  const strips = STRIPS.map(([a, b]) => [box.ymin + a * h, box.ymin + b * h] as const);
  const rect = coveringRect(x0, strips[0][0], x1, strips[1][1], src.width, src.height);
  if (rect.width < 8 || rect.height < 8) return '';
  const patch = src.region(rect);
  const clamp = (v: number, hi: number) => Math.max(0, Math.min(hi - 1, v));
  const quads: Point[][] = strips.map(([ya, yb]) => {
    const [qx0, qx1] = [clamp(x0 - patch.x, patch.pixels.width), clamp(x1 - patch.x, patch.pixels.width)];
    const [qy0, qy1] = [clamp(ya - patch.y, patch.pixels.height), clamp(yb - patch.y, patch.pixels.height)];
    return [{ x: qx0, y: qy0 }, { x: qx1, y: qy0 }, { x: qx1, y: qy1 }, { x: qx0, y: qy1 }];
  });
  const lines = await recognizeLines(engine, patch.pixels, quads, reader);
  return lines.map((l) => l.text.trim()).filter(Boolean).join(' ');
}
