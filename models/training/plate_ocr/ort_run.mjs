// Recipe helper: run an ONNX file in onnxruntime-node on a raw float32 tensor (what the TS side runs).
//   node ort_run.mjs model.onnx in.bin N,C,H,W out.bin   → prints output dims, writes raw float32
//   node ort_run.mjs model.onnx --bench H,W              → prints {"ms": median of 30, batch 1, 1 thread}
import { createSession, ort } from '../ort_session.mjs';
import { readFileSync, writeFileSync } from 'node:fs';

const [model, inp, dims, out] = process.argv.slice(2);
const s = await createSession(model);
if (inp === '--bench') {
  const [h, w] = dims.split(',').map(Number);
  const x = new ort.Tensor('float32', new Float32Array(3 * h * w).map(() => Math.random() * 2 - 1), [1, 3, h, w]);
  const ts = [];
  for (let i = 0; i < 40; i++) {
    const t = performance.now();
    await s.run({ [s.inputNames[0]]: x });
    if (i >= 10) ts.push(performance.now() - t);
  }
  ts.sort((a, b) => a - b);
  console.log(JSON.stringify({ ms: Math.round(ts[15] * 100) / 100 }));
} else {
  const d = dims.split(',').map(Number);
  const buf = readFileSync(inp);
  const x = new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4);
  const r = await s.run({ [s.inputNames[0]]: new ort.Tensor('float32', x, d) });
  const o = r[s.outputNames[0]];
  console.log(JSON.stringify(o.dims));
  writeFileSync(out, Buffer.from(o.data.buffer, o.data.byteOffset, o.data.byteLength));
}
