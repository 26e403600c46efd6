import { vinSceneSuite } from './test/gen/vin-scenes.ts';
import { createNodeEngine } from './src/runtime/ort-node.ts';
import { detectText } from './src/text/detect-text.ts';
import { rectCorners } from './src/text/geometry.ts';
import { recognizeLines } from './src/text/recognize-text.ts';
import { lineReaderFrom } from './src/text/line-reader-spec.ts';
import { warpQuad } from './src/image/raw-image.ts';
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
const manifest = JSON.parse(readFileSync('../../models/manifest.json', 'utf8'));
const engine = await createNodeEngine(['text-det', 'text-rec'].map((name) => ({ name, bytes: readFileSync(`../../models/${name}.onnx`) })), 2);
const reader = lineReaderFrom(manifest.models.find((m: any) => m.name === 'text-rec'));
function ratio(img: any) {
  let gx = 0, gy = 0;
  const { width: w, height: h, data } = img;
  const L = (x: number, y: number) => { const i = (y * w + x) * 4; return 0.3 * data[i] + 0.59 * data[i + 1] + 0.11 * data[i + 2]; };
  for (let y = Math.floor(h * 0.2); y < Math.ceil(h * 0.8) - 1; y++) for (let x = 0; x < w - 1; x++) {
    gx += Math.abs(L(x + 1, y) - L(x, y)); gy += Math.abs(L(x, y + 1) - L(x, y));
  }
  return gy / Math.max(1, gx);
}
const scenes = vinSceneSuite(50, 1, { format: 'jpeg' }).filter((s) => s.kind === 'door-sticker' || s.kind === 'document').slice(0, 10);
for (const s of scenes) {
  const { data, info } = await sharp(s.bytes).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  const img = { width: info.width, height: info.height, data: new Uint8ClampedArray(data) };
  const lines = (await detectText(engine as any, img, { maxSide: 640 })).filter((l) => l.rect.length / l.rect.thickness >= 5);
  const quads = lines.map((l) => rectCorners(l.rect));
  const read = await recognizeLines(engine as any, img, quads, reader);
  read.forEach((r, i) => {
    const q = quads[i];
    const len = Math.hypot(q[1].x - q[0].x, q[1].y - q[0].y), th = Math.hypot(q[3].x - q[0].x, q[3].y - q[0].y);
    const crop = warpQuad(img, q, Math.round(32 * len / th), 32);
    console.log(s.seed, s.kind, ratio(crop).toFixed(3), JSON.stringify(r.text));
  });
}
process.exit(0);
