/**
 * The demo app: @platelens/core's module worker, the repo's models at /models/, and an
 * offline PWA (Workbox precache of the app, onnxruntime-web's .wasm and the models).
 * Served cross-origin isolated (COOP/COEP) in dev and preview so WASM can use threads.
 */
import { defineConfig, type Plugin } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import { existsSync, readFileSync, statSync, createReadStream } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const MODELS_DIR = fileURLToPath(new URL('../../models/', import.meta.url));

const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/** Files the app needs from models/: manifest.json and the .onnx files it lists (never training/ or meta/). */
function modelFiles(): string[] {
  const manifest = JSON.parse(readFileSync(join(MODELS_DIR, 'manifest.json'), 'utf8')) as { models: { file: string }[] };
  const files = manifest.models.map((m) => m.file).filter((f) => /^[\w.-]+\.onnx$/.test(f) && existsSync(join(MODELS_DIR, f)));
  return ['manifest.json', ...files];
}

/** Serves ../../models at <base>models/ in dev and emits the same files into dist/models. */
function models(): Plugin {
  let base = '/';
  return {
    name: 'platelens-models',
    configResolved(c) {
      base = c.base;
    },
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const path = (req.url ?? '').split('?')[0];
        const prefix = `${base}models/`;
        if (!path.startsWith(prefix)) return next();
        const name = decodeURIComponent(path.slice(prefix.length));
        if (!modelFiles().includes(name)) return next();
        const file = join(MODELS_DIR, name);
        res.setHeader('Content-Type', name.endsWith('.json') ? 'application/json' : 'application/octet-stream');
        res.setHeader('Content-Length', String(statSync(file).size));
        res.setHeader('Cache-Control', 'no-cache');
        createReadStream(file).pipe(res);
      });
    },
    generateBundle() {
      for (const name of modelFiles()) {
        this.emitFile({ type: 'asset', fileName: `models/${name}`, source: readFileSync(join(MODELS_DIR, name)) });
      }
    },
  };
}

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  server: { headers: isolation, host: '127.0.0.1' },
  preview: { headers: isolation, host: '127.0.0.1' },
  worker: { format: 'es' },
  optimizeDeps: { exclude: ['onnxruntime-web'], include: ['comlink'] },
  build: { target: 'es2022', chunkSizeWarningLimit: 1024 },
  plugins: [
    models(),
    VitePWA({
      registerType: 'autoUpdate',
      injectRegister: 'script-defer',
      includeManifestIcons: false, // icon.svg is in globPatterns already
      manifest: {
        name: 'PlateLens',
        short_name: 'PlateLens',
        description: 'Read licence plates and VINs on your device, offline.',
        theme_color: '#0f172a',
        background_color: '#0f172a',
        display: 'standalone',
        start_url: './',
        scope: './',
        icons: [{ src: 'icon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' }],
      },
      workbox: {
        // the app, onnxruntime-web's .wasm/.mjs and the models: everything recognition needs offline
        globPatterns: ['**/*.{html,js,mjs,css,wasm,onnx,json,svg,png}'],
        // ...but not the WebGPU build of onnxruntime's wasm (26.8 MB; `asyncify`): only a device with a
        // hardware adapter loads it, and it is cached the first time it does (runtimeCaching below)
        globIgnores: ['**/*.asyncify-*.wasm'],
        runtimeCaching: [
          {
            urlPattern: ({ url }) => /\.asyncify-[^/]*\.wasm$/.test(url.pathname),
            handler: 'CacheFirst',
            options: { cacheName: 'platelens-ort-webgpu', expiration: { maxEntries: 2 } },
          },
        ],
        maximumFileSizeToCacheInBytes: 96 * 1024 * 1024,
        navigateFallback: 'index.html',
        cleanupOutdatedCaches: true,
        clientsClaim: true,
        skipWaiting: true,
      },
    }),
  ],
});
