// The same app with ES-module workers (what the README suggests for WASM threads), built into
// dist/es/ so one `vite preview` serves both builds (this one at /es/).
import { defineConfig, mergeConfig } from 'vite';
import base from './vite.config.ts';

export default mergeConfig(base, defineConfig({ base: '/es/', worker: { format: 'es' }, build: { outDir: 'dist/es' } }));
