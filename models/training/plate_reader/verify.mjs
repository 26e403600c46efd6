// Verify exported ONNX variants with onnxruntime-node (and onnxruntime-web's WASM EP):
// max |probs_onnx - probs_torch|, held-out exact match per set, ms/crop.
//   cd /work/main && node models/training/plate_reader/verify.mjs models/training/plate_reader/runs/export [--web]
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
const require = createRequire(path.join(process.cwd(), 'package.json'));
const dir = process.argv[2];
const useWeb = process.argv.includes('--web');
const ort = useWeb ? require('onnxruntime-web') : require('onnxruntime-node');
if (useWeb) { ort.env.wasm.numThreads = 1; }
const meta = JSON.parse(fs.readFileSync(path.join(dir, 'check.json'), 'utf8'));
const xbuf = fs.readFileSync(path.join(dir, 'check_x.bin'));
const X = new Float32Array(xbuf.buffer, xbuf.byteOffset, xbuf.byteLength / 4);
const pbuf = fs.readFileSync(path.join(dir, 'check_probs.bin'));
const PT = new Float32Array(pbuf.buffer, pbuf.byteOffset, pbuf.byteLength / 4);
const [N, C, H, W] = meta.shape;
const [, T, K] = meta.probs_shape;
const A = meta.alphabet;

function decode(p, n) { // greedy CTC on probs [T,K] of item n
  let s = '', prev = 0;
  for (let t = 0; t < T; t++) {
    let best = 0, bv = -1;
    const o = (n * T + t) * K;
    for (let k = 0; k < K; k++) if (p[o + k] > bv) { bv = p[o + k]; best = k; }
    if (best !== prev && best !== 0) s += A[best - 1];
    prev = best;
  }
  return s;
}

const files = fs.readdirSync(dir).filter((f) => f.endsWith('.onnx')).sort();
const out = {};
for (const f of files) {
  const opts = useWeb ? { executionProviders: ['wasm'] } : { intraOpNumThreads: 1, interOpNumThreads: 1 };
  const sess = await ort.InferenceSession.create(path.join(dir, f), opts);
  const bs = 32;
  const probs = new Float32Array(N * T * K);
  for (let i = 0; i < N; i += bs) {
    const n = Math.min(bs, N - i);
    const x = new ort.Tensor('float32', X.slice(i * C * H * W, (i + n) * C * H * W), [n, C, H, W]);
    const r = await sess.run({ x });
    probs.set(r.probs.data, i * T * K);
  }
  let maxd = 0;
  for (let i = 0; i < probs.length; i++) maxd = Math.max(maxd, Math.abs(probs[i] - PT[i]));
  const res = { max_abs_diff_vs_torch: maxd, bytes: fs.statSync(path.join(dir, f)).size };
  const preds = [];
  for (let n = 0; n < N; n++) preds.push(decode(probs, n));
  for (const s of ['us', 'br']) {
    let ok = 0, cnt = 0, tok = 0;
    for (let n = 0; n < N; n++) if (meta.sets[n] === s) { cnt++; if (preds[n] === meta.texts[n]) ok++; if (preds[n] === meta.torch_preds[n]) tok++; }
    res[s + '_exact'] = ok / cnt; res[s + '_n'] = cnt; res[s + '_same_as_torch'] = tok / cnt;
  }
  // timing: single crop, batch 1
  const one = new ort.Tensor('float32', X.slice(0, C * H * W), [1, C, H, W]);
  for (let i = 0; i < 5; i++) await sess.run({ x: one });
  const reps = 50, t0 = performance.now();
  for (let i = 0; i < reps; i++) await sess.run({ x: one });
  res.ms_per_crop_b1 = (performance.now() - t0) / reps;
  out[f] = res;
  console.log(f, JSON.stringify(res));
}
fs.writeFileSync(path.join(dir, useWeb ? 'verify_web.json' : 'verify_node.json'), JSON.stringify(out, null, 1));
