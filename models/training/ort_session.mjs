// Recipe helpers' onnxruntime-node session: 1 thread and the options the shipped runtime uses
// (packages/core/src/runtime/ort-sessions.ts SHARED_SESSION_OPTIONS: graph optimisation 'all',
// weight-only int8 folded to float weights at load), so recipe timings match the pipeline's.
import ort from 'onnxruntime-node';

export const createSession = (model) =>
  ort.InferenceSession.create(model, { intraOpNumThreads: 1, graphOptimizationLevel: 'all', extra: { session: { disable_quant_qdq: '1' } } });
export { ort };
