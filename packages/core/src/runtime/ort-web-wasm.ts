/**
 * onnxruntime-web's WASM build, loaded by ort-web.ts through this module so that `scriptUrl` is
 * the URL of the script ORT's code ends up in after bundling. ORT starts its WASM threads as
 * workers of that script: when a bundler inlines ORT into our worker's own script (Vite's default
 * `worker.format: 'iife'`), the thread workers would load our worker instead and never start.
 */
export * from 'onnxruntime-web/wasm';
export const scriptUrl: string = import.meta.url;
