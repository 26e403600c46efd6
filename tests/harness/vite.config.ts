import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

// Cross-origin isolation lets onnxruntime-web use WASM threads.
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  publicDir: fileURLToPath(new URL('../../models', import.meta.url)),
  // no HMR: a file saved while a test runs must not reload the page under it ("execution context
  // was destroyed"); files are still watched, so the next page load gets the new code
  server: { headers: isolation, host: '127.0.0.1', strictPort: true, hmr: false },
  preview: { headers: isolation, host: '127.0.0.1', strictPort: true },
  worker: { format: 'es' },
  optimizeDeps: { exclude: ['onnxruntime-web'], include: ['comlink'] },
  logLevel: 'warn',
});
