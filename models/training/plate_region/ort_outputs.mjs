// Recipe helper: run an ONNX file in onnxruntime-node on a raw float32 NCHW tensor and write
// every output as JSON arrays: node ort_outputs.mjs model.onnx in.bin N,C,H,W out.json
import { createSession, ort } from '../ort_session.mjs';
import { readFileSync, writeFileSync } from 'node:fs';

const [model, inp, dims, out] = process.argv.slice(2);
const s = await createSession(model);
const d = dims.split(',').map(Number);
const buf = readFileSync(inp);
const x = new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4);
const r = await s.run({ [s.inputNames[0]]: new ort.Tensor('float32', x, d) });
writeFileSync(out, JSON.stringify(Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Array.from(v.data)]))));
