import { generateVinScene } from './test/gen/vin-scenes.ts';
import { vinSceneSuite } from './test/gen/vin-scenes.ts';
import { createNodeEngine } from './src/runtime/ort-node.ts';
import { detectText } from './src/text/detect-text.ts';
import { rectCorners } from './src/text/geometry.ts';
import { readFileSync, writeFileSync } from 'node:fs';
import sharp from 'sharp';
const seeds = process.argv.slice(2).map(Number);
const engine = await createNodeEngine([{ name: 'text-det', bytes: readFileSync('../../models/text-det.onnx') }], 2);
const suite = vinSceneSuite?.length ? null : null; void suite;
for (const seed of seeds) {
  const s = generateVinScene(seed, { kind: 'stamped-metal', format: 'jpeg' });
  const { data, info } = await sharp(s.bytes).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  const img = { width: info.width, height: info.height, data: new Uint8ClampedArray(data) };
  for (const size of [640, 960]) {
    const lines = await detectText(engine as any, img, { maxSide: size });
    const svg = `<svg width="${img.width}" height="${img.height}" xmlns="http://www.w3.org/2000/svg">` +
      lines.map((l) => `<polygon points="${rectCorners(l.rect).map((p) => `${p.x},${p.y}`).join(' ')}" fill="none" stroke="red" stroke-width="2"/>`).join('') +
      `<rect x="${s.box.xmin}" y="${s.box.ymin}" width="${s.box.xmax - s.box.xmin}" height="${s.box.ymax - s.box.ymin}" fill="none" stroke="lime" stroke-width="1"/></svg>`;
    await sharp(s.bytes).composite([{ input: Buffer.from(svg) }]).png().toFile(`/tmp/dbg-${seed}-${size}.png`);
    console.log(seed, s.kind, s.vin, size, 'lines', lines.length, 'charH', s.charHeight, 'size', img.width, img.height);
  }
}
process.exit(0);
