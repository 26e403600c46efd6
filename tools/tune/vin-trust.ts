/**
 * Calibration for the VIN pipeline's fast path (not a test, not a benchmark): on generated
 * scenes with seeds the test suite does not use (default 5000–5199), how often is the fast
 * reader's best candidate right, by confidence and evidence? Used to set FAST_TRUST in
 * vin/read-vin.ts. Prints a table.
 *
 *   node --import tsx tools/tune/vin-trust.ts [N] [FIRST_SEED] [DETECTOR_SIZE=640]
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { nodeDecoders } from '../../packages/core/src/image/decode-node.ts';
import { ManifestSchema, findModel } from '../../packages/core/src/runtime/manifest.ts';
import { createNodeEngine } from '../../packages/core/src/runtime/ort-node.ts';
import { detectText } from '../../packages/core/src/text/detect-text.ts';
import { rectCorners } from '../../packages/core/src/text/geometry.ts';
import { lineReaderFrom } from '../../packages/core/src/text/line-reader-spec.ts';
import { recognizeLines } from '../../packages/core/src/text/recognize-text.ts';
import { extractVins } from '../../packages/core/src/vin/extract.ts';
import { generateVinScene } from '../../packages/core/test/gen/vin-scenes.ts';

const ROOT = join(import.meta.dirname, '../..');
const N = Number(process.argv[2] ?? 200);
const FIRST = Number(process.argv[3] ?? 5000);
const DET = Number(process.argv[4] ?? 640);
const manifest = ManifestSchema.parse(JSON.parse(readFileSync(join(ROOT, 'models/manifest.json'), 'utf8')));
const engine = await createNodeEngine(
  ['text-det', 'vin-reader'].map((n) => ({ name: n, bytes: new Uint8Array(readFileSync(join(ROOT, 'models', findModel(manifest, n)!.file))) })),
  2,
);
const reader = lineReaderFrom(findModel(manifest, 'vin-reader')!);
const decoders = await nodeDecoders();
const rows: { conf: number; check: string; labelled: boolean; ok: boolean; kind: string; clean: boolean; seed: number; got: string; want: string }[] = [];
let none = 0;
for (let i = 0; i < N; i++) {
  const s = generateVinScene(FIRST + i, { format: 'jpeg' });
  if (s.kind === 'rotated-sticker') continue; // the turned pass is the same reader on turned lines
  const img = await decoders.decodeBytes(s.bytes);
  const lines = (await detectText(engine, img, { maxSide: DET })).filter((l) => l.rect.length / Math.max(1, l.rect.thickness) >= 5);
  const quads = lines.map((l) => rectCorners({ ...l.rect, length: l.rect.length + 0.6 * l.rect.thickness }));
  const c = extractVins(quads.length ? await recognizeLines(engine, img, quads, reader) : [])[0];
  if (!c) {
    none++;
    continue;
  }
  rows.push({ conf: c.confidence, check: c.checkDigit, labelled: c.labelled, ok: c.vin === s.vin, kind: s.kind, clean: c.rank >= c.confidence - 0.1, seed: s.seed, got: c.vin, want: s.vin });
}
console.log(`detector ${DET}: ${rows.length} scenes with a fast candidate, ${none} without`);
console.log('| min conf | check | clean rank | answered | right | wrong |');
for (const t of [0.7, 0.8, 0.85, 0.9, 0.93]) {
  for (const check of ['valid', 'n/a']) {
    for (const clean of [false, true]) {
      const sel = rows.filter((r) => r.conf >= t && r.check === check && (!clean || r.clean));
      console.log(`| ${t} | ${check} | ${clean ? 'yes' : 'any'} | ${sel.length} | ${sel.filter((r) => r.ok).length} | ${sel.filter((r) => !r.ok).length} |`);
    }
  }
}
for (const r of rows.filter((r) => !r.ok && r.conf >= 0.8)) console.log('wrong', JSON.stringify(r));
process.exit(0);
