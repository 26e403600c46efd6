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
  server: { headers: isolation, host: '127.0.0.1', strictPort: true },
  preview: { headers: isolation, host: '127.0.0.1', strictPort: true },
  worker: { format: 'es' },
  optimizeDeps: { exclude: ['onnxruntime-web'], include: ['comlink'] },
  logLevel: 'warn',
});
