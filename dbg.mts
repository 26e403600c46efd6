import { readFileSync } from 'node:fs';
import { ManifestSchema } from './packages/core/src/runtime/manifest.ts';
import { createNodeEngine } from './packages/core/src/runtime/ort-node.ts';
import { RecognizerCore } from './packages/core/src/recognizer-core.ts';
import { nodeDecoders } from './packages/core/src/image/decode-node.ts';
import { detectText } from './packages/core/src/text/detect-text.ts';
import { recognizeLines } from './packages/core/src/text/recognize-text.ts';
import { rectCorners } from './packages/core/src/text/geometry.ts';
const manifest = ManifestSchema.parse(JSON.parse(readFileSync('models/manifest.json','utf8')));
const models = ['text-det','text-rec'].map(n=>({name:n, bytes: new Uint8Array(readFileSync('models/'+manifest.models.find(m=>m.name===n)!.file))}));
const eng = await createNodeEngine(models, 2);
const core: any = new RecognizerCore(eng, manifest, ['vin']);
const dec = await nodeDecoders();
const img = await dec.decodeBytes(new Uint8Array(readFileSync(process.argv[2])));
for (const size of [640, 960]) {
  const lines = await detectText(eng, img, { maxSide: size });
  const quads = lines.flatMap(l => { const q = rectCorners(l.rect); return Math.abs(l.rect.uy) > Math.abs(l.rect.ux) ? [q, [q[2],q[3],q[0],q[1]]] : [q]; });
  const reads = await recognizeLines(eng, img, quads, core.folding);
  console.log('size', size, lines.length);
  for (const r of reads) console.log('  ', JSON.stringify(r.text), r.quad.map(p=>`${p.x.toFixed(0)},${p.y.toFixed(0)}`).join(' '));
}
