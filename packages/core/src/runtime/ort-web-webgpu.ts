/** onnxruntime-web's WebGPU build, with the URL of the script it is bundled into (see ort-web-wasm.ts). */
export * from 'onnxruntime-web/webgpu';
export const scriptUrl: string = import.meta.url;
