/**
 * Write synthetic scenes + labels.json for eyeballing and benchmarks.
 *
 *   node --import tsx packages/core/test/gen/write-samples.ts vin 20 /tmp/vin-samples [firstSeed] [--jpeg] [--boxes]
 *   node --import tsx packages/core/test/gen/write-samples.ts plate 20 /tmp/plate-samples
 *
 * --boxes also writes <name>.boxes.png with the ground-truth boxes drawn in red.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import { vinSceneSuite } from './vin-scenes.ts';
import { plateSceneSuite } from './plate-scenes.ts';
import type { Box } from './render.ts';

const args = process.argv.slice(2);
const flags = new Set(args.filter((a) => a.startsWith('--')));
const [what, nStr, outDir, seedStr] = args.filter((a) => !a.startsWith('--'));
if ((what !== 'vin' && what !== 'plate') || !nStr || !outDir) {
  console.error('usage: write-samples.ts vin|plate N OUTDIR [firstSeed] [--jpeg] [--boxes]');
  process.exit(2);
}
const n = Number(nStr);
const firstSeed = seedStr ? Number(seedStr) : 1;
const format = flags.has('--jpeg') ? 'jpeg' : 'png';
const ext = format === 'jpeg' ? 'jpg' : 'png';
mkdirSync(outDir, { recursive: true });

async function drawBoxes(file: string, bytes: Uint8Array, boxes: Box[]): Promise<void> {
  const img = await loadImage(Buffer.from(bytes));
  const c = createCanvas(img.width, img.height);
  const ctx = c.getContext('2d');
  ctx.drawImage(img, 0, 0);
  ctx.strokeStyle = '#ff0000';
  ctx.lineWidth = 1;
  for (const b of boxes) ctx.strokeRect(b.xmin - 0.5, b.ymin - 0.5, b.xmax - b.xmin + 1, b.ymax - b.ymin + 1);
  writeFileSync(file, c.encodeSync('png'));
}

const t0 = performance.now();
const labels: unknown[] = [];
if (what === 'vin') {
  for (const s of vinSceneSuite(n, firstSeed, { format })) {
    const name = `vin-${String(s.seed).padStart(4, '0')}-${s.kind}.${ext}`;
    writeFileSync(join(outDir, name), s.bytes);
    labels.push({ file: name, vin: s.vin, box: s.box, kind: s.kind, seed: s.seed, width: s.width, height: s.height, spaced: s.spaced, charHeight: Math.round(s.charHeight * 10) / 10 });
    if (flags.has('--boxes')) await drawBoxes(join(outDir, name.replace(/\.\w+$/, '.boxes.png')), s.bytes, [s.box]);
  }
} else {
  for (const s of plateSceneSuite(n, firstSeed, { format })) {
    const name = `plate-${String(s.seed).padStart(4, '0')}.${ext}`;
    writeFileSync(join(outDir, name), s.bytes);
    labels.push({ file: name, plates: s.plates, seed: s.seed, width: s.width, height: s.height });
    if (flags.has('--boxes')) await drawBoxes(join(outDir, name.replace(/\.\w+$/, '.boxes.png')), s.bytes, s.plates.map((p) => p.box));
  }
}
writeFileSync(join(outDir, 'labels.json'), JSON.stringify(labels, null, 2));
console.log(`wrote ${n} ${what} scenes to ${outDir} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
