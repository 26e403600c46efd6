// Check an exported VIN reader with onnxruntime-node: max |probs_onnx - probs_torch| and
// exact-line rate on the synthetic validation crops that release.py wrote, ms per line.
//   cd /work/main && node models/training/vin_reader/verify.mjs models/training/vin_reader/runs/export
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
const require = createRequire(path.join(process.cwd(), 'package.json'));
const ort = require('onnxruntime-node');
const dir = process.argv[2];
const meta = JSON.parse(fs.readFileSync(path.join(dir, 'check.json'), 'utf8'));
const read = (f) => { const b = fs.readFileSync(path.join(dir, f)); return new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4); };
const X = read('check_x.bin');
const PT = read('check_probs.bin');
const [N, C, H, W] = meta.shape;
const [, T, K] = meta.probs_shape;
const A = meta.alphabet;

function decode(p, n, validT) {
  let s = '', prev = 0;
  for (let t = 0; t < validT; t++) {
    let best = 0, bv = -1;
    const o = (n * T + t) * K;
    for (let k = 0; k < K; k++) if (p[o + k] > bv) { bv = p[o + k]; best = k; }
    if (best !== prev && best !== 0) s += A[best - 1];
    prev = best;
  }
  return s.split(' ').filter(Boolean).join(' ');
}

const out = {};
for (const f of fs.readdirSync(dir).filter((f) => f.endsWith('.onnx')).sort()) {
  const sess = await ort.InferenceSession.create(path.join(dir, f), { intraOpNumThreads: 1, interOpNumThreads: 1 });
  const probs = new Float32Array(N * T * K);
  for (let i = 0; i < N; i += 32) {
    const n = Math.min(32, N - i);
    const r = await sess.run({ x: new ort.Tensor('float32', X.slice(i * C * H * W, (i + n) * C * H * W), [n, C, H, W]) });
    probs.set(r.probs.data, i * T * K);
  }
  let maxd = 0;
  for (let i = 0; i < probs.length; i++) maxd = Math.max(maxd, Math.abs(probs[i] - PT[i]));
  let ok = 0, vinOk = 0, vinN = 0;
  for (let n = 0; n < N; n++) {
    const p = decode(probs, n, T);
    if (p === meta.texts[n]) ok++;
    if (meta.vin_line[n]) { vinN++; if (p === meta.texts[n]) vinOk++; }
  }
  const one = new ort.Tensor('float32', X.slice(0, C * H * W), [1, C, H, W]);
  for (let i = 0; i < 5; i++) await sess.run({ x: one });
  const reps = 40, t0 = performance.now();
  for (let i = 0; i < reps; i++) await sess.run({ x: one });
  out[f] = { max_abs_diff_vs_torch: maxd, exact: ok / N, vin_line_exact: vinOk / vinN, n: N, vin_n: vinN,
    ms_per_line_b1_1thread: (performance.now() - t0) / reps, width: W, bytes: fs.statSync(path.join(dir, f)).size };
  console.log(f, JSON.stringify(out[f]));
}
fs.writeFileSync(path.join(dir, 'verify_node.json'), JSON.stringify(out, null, 1));
