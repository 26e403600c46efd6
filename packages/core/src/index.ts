/** @platelens/core — browser entry (the pipeline runs in a module Web Worker). */
export * from './index-shared.ts';
export { createRecognizer, type BrowserRecognizerOptions } from './client.ts';
