/**
 * withCloudFallback: local first, the cloud only when the local answer is missing
 * (404 no VIN / no plate, 400 no text) or below `minConfidence`. The better answer
 * wins and is marked `source: 'local' | 'cloud'`; the CarsXE shape is unchanged.
 * Without a key nothing is ever sent.
 */
import { PlateLensError, type ImageInput, type PlateResponse, type Recognizer, type VinResponse } from '@platelens/core';
import type { CarsXEClient } from './client.ts';
import { cloudErrors } from './errors.ts';

/** What the fallback needs from a cloud client (createCarsXEClient() fits). */
export type CloudRecognizer = Pick<CarsXEClient, 'hasKey' | 'readVin' | 'recognizePlate'>;

export interface CloudFallbackOptions {
  /**
   * Ask the cloud when the best local confidence (VIN `confidence`, plate
   * `results[0].score`) is below this, 0..1. 0: only when there is no local result.
   */
  minConfidence: number;
  /**
   * Called when the cloud failed but a (low-confidence) local answer was returned
   * instead, so the failure is not silent. Not called when the error is thrown.
   */
  onCloudError?: (error: PlateLensError) => void;
}

export type Source = 'local' | 'cloud';

/** Local errors that mean "nothing found", which the cloud may do better on. */
const NO_RESULT = new Set(['NO_VIN', 'NO_PLATE', 'NO_TEXT']);

export function isNoResult(e: unknown): boolean {
  const err = e as { name?: unknown; status?: unknown; code?: unknown } | null;
  if (err?.name !== 'PlateLensError') return false;
  return NO_RESULT.has(err.code as string) || (err.status === 404 && err.code !== 'UNAUTHORIZED');
}

export const vinScore = (r: VinResponse): number => r.confidence;
export const plateScore = (r: PlateResponse): number => r.results[0]?.score ?? Number.NEGATIVE_INFINITY;

interface Task<R> {
  local: (input: ImageInput) => Promise<R>;
  cloud: (input: ImageInput) => Promise<R>;
  score: (r: R) => number;
}

const has = (name: string) => typeof (globalThis as Record<string, unknown>)[name] === 'function';

export function withCloudFallback(recognizer: Recognizer, cloud: CloudRecognizer, options: CloudFallbackOptions): Recognizer {
  const min = options?.minConfidence;
  if (typeof min !== 'number' || !(min >= 0 && min <= 1)) {
    throw cloudErrors.invalidOptions('minConfidence: expected a number from 0 to 1');
  }
  const onCloudError = options.onCloudError;

  async function run<R extends { source?: Source }>(task: Task<R>, input: ImageInput): Promise<R> {
    if (!cloud.hasKey) return mark(await task.local(input), 'local');
    // a <video> moves on: freeze the frame so local and cloud read the same pixels
    const frozen = await freeze(input);
    try {
      let local: R | undefined;
      try {
        local = await task.local(frozen.input);
      } catch (e) {
        if (!isNoResult(e)) throw e; // invalid image, options, disposed, …: never sent
      }
      if (local !== undefined && task.score(local) >= min) return mark(local, 'local');

      let remote: R;
      try {
        remote = await task.cloud(frozen.input);
      } catch (e) {
        if (local === undefined) throw e; // the cloud was the only hope: its error is the answer
        onCloudError?.(e instanceof PlateLensError ? e : new PlateLensError(500, 'CLOUD_ERROR', String(e)));
        return mark(local, 'local');
      }
      if (local === undefined || task.score(remote) > task.score(local)) return mark(remote, 'cloud');
      return mark(local, 'local');
    } finally {
      frozen.release();
    }
  }

  return {
    get backend() {
      return recognizer.backend;
    },
    readVin: (input, o) =>
      run<VinResponse>({ local: (i) => recognizer.readVin(i, o), cloud: (i) => cloud.readVin(i), score: vinScore }, input),
    recognizePlate: (input, o) =>
      run<PlateResponse>(
        { local: (i) => recognizer.recognizePlate(i, o), cloud: (i) => cloud.recognizePlate(i), score: plateScore },
        input,
      ),
    dispose: () => recognizer.dispose(),
  };
}

function mark<R extends { source?: Source }>(r: R, source: Source): R {
  return { ...r, source };
}

async function freeze(input: ImageInput): Promise<{ input: ImageInput; release(): void }> {
  if (has('HTMLVideoElement') && input instanceof HTMLVideoElement && input.readyState >= 2 && input.videoWidth > 0) {
    const bitmap = await createImageBitmap(input);
    return { input: bitmap, release: () => bitmap.close() };
  }
  return { input, release: () => undefined };
}
