/** @platelens/cloud — a thin CarsXE client and the local-first cloud-fallback policy. */
export { createCarsXEClient, DEFAULT_BASE_URL, type CarsXEClient, type CarsXEClientOptions } from './client.ts';
export {
  withCloudFallback,
  type CloudFallbackOptions,
  type CloudRecognizer,
  type Source,
} from './fallback.ts';
export { toImageUrl } from './encode.ts';
export type { CloudTask } from './errors.ts';
