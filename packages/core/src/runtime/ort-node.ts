/** Node runtime: onnxruntime-node (native CPU EP), an optional peer dependency (see node-peer.ts). */
import type { Engine } from './engine.ts';
import type { ProgressCallback } from './model-fetch.ts';
import { importPeer } from './node-peer.ts';
import { createSessions, sessionEngine, SHARED_SESSION_OPTIONS, type ModelBytes, type OrtModule } from './ort-sessions.ts';

export async function createNodeEngine(models: readonly ModelBytes[], numThreads: number, onProgress?: ProgressCallback): Promise<Engine> {
  const mod = await importPeer<OrtModule & { default?: OrtModule }>('onnxruntime-node');
  const ort = mod.InferenceSession ? mod : mod.default!;
  const setup = {
    ort,
    backend: 'cpu' as const,
    sessionOptions: {
      executionProviders: ['cpu'],
      intraOpNumThreads: numThreads,
      interOpNumThreads: 1,
      ...SHARED_SESSION_OPTIONS,
    },
  };
  return sessionEngine(setup, await createSessions(setup, models, onProgress));
}
