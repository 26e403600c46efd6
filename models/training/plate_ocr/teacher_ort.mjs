// Recipe helper for distill.py: the teacher (an ONNX plate reader) served over stdin/stdout, so its
// forward pass runs in onnxruntime (~8 ms per crop, 1 thread) instead of the node-by-node PyTorch graph.
// Request: int32 N, then N×3×48×W float32; reply: N×T×C float32 probabilities (first output).
//   node teacher_ort.mjs model.onnx W
import { createSession, ort } from '../ort_session.mjs';

const [model, W] = [process.argv[2], Number(process.argv[3] ?? 200)];
const s = await createSession(model);
let buf = Buffer.alloc(0);
let busy = Promise.resolve();
process.stdin.on('data', (chunk) => {
  buf = Buffer.concat([buf, chunk]);
  for (;;) {
    if (buf.length < 4) return;
    const n = buf.readInt32LE(0);
    const bytes = 4 + n * 3 * 48 * W * 4;
    if (buf.length < bytes) return;
    const x = new Float32Array(buf.buffer.slice(buf.byteOffset + 4, buf.byteOffset + bytes));
    buf = buf.subarray(bytes);
    busy = busy.then(async () => {
      const out = (await s.run({ [s.inputNames[0]]: new ort.Tensor('float32', x, [n, 3, 48, W]) }))[s.outputNames[0]];
      process.stdout.write(Buffer.from(out.data.buffer, out.data.byteOffset, out.data.byteLength));
    });
  }
});
