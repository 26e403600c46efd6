// Per-model latency in this page (onnxruntime-web WASM), for tools/bench/models.ts.
// Loaded on demand so tests never pay for it.
export async function benchModel(
  file: string,
  feeds: { name: string; dims: number[] }[],
  threads: number,
  reps: number,
): Promise<{ ms: number[]; create: number }> {
  const ort = await import('onnxruntime-web/wasm');
  const { SHARED_SESSION_OPTIONS } = await import('../../packages/core/src/runtime/ort-sessions.ts');
  ort.env.wasm.numThreads = threads;
  const t0 = performance.now();
  const session = await ort.InferenceSession.create(new URL(file, location.href).href, { executionProviders: ['wasm'], ...SHARED_SESSION_OPTIONS });
  const create = performance.now() - t0;
  const inputs = Object.fromEntries(
    feeds.map((f) => [f.name, new ort.Tensor('float32', new Float32Array(f.dims.reduce((a, b) => a * b, 1)).map(() => Math.random()), f.dims)]),
  );
  await session.run(inputs);
  const ms: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t = performance.now();
    await session.run(inputs);
    ms.push(performance.now() - t);
  }
  await session.release();
  return { ms, create };
}
