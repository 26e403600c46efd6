// Vite's defaults (worker format included) plus what the README asks: COOP/COEP for WASM threads
// and @platelens/models' plugin, which serves and emits the models.
import { defineConfig } from 'vite';
import platelensModels from '@platelens/models/vite';

const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  server: { headers: isolation },
  preview: { headers: isolation },
  plugins: [platelensModels()],
});
