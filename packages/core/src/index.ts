/** @platelens/core — browser entry (the pipeline runs in a module Web Worker). */
import './zod-jitless.ts'; // first: before any schema is built
export * from './index-shared.ts';
export { createRecognizer, type BrowserRecognizerOptions } from './client.ts';
