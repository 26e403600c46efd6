// Vite's defaults (worker format included) plus what the README asks: COOP/COEP for WASM threads,
// @platelens/models' plugin (serves and emits the models), and the README's strict CSP on the build.
import { defineConfig } from 'vite';
import platelensModels from '@platelens/models/vite';

const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};
const csp = { 'Content-Security-Policy': "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'" };

export default defineConfig({
  server: { headers: isolation },
  preview: { headers: { ...isolation, ...csp } },
  plugins: [platelensModels()],
});
