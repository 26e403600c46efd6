/**
 * The only module that knows about @platelens/cloud: wraps the local recognizer with
 * the CarsXE fallback when the user turned it on and gave a key.
 */
import { createCarsXEClient, withCloudFallback } from '@platelens/cloud';
import type { PlateLensError, Recognizer } from '@platelens/core';
import type { Settings } from './settings.ts';

export function cloudEnabled(s: Settings): boolean {
  return s.cloud && s.apiKey.length > 0;
}

/** The recognizer to call: local only, or local first with the cloud below `threshold`. */
export function withCloud(local: Recognizer, s: Settings, onCloudError?: (e: PlateLensError) => void): Recognizer {
  if (!cloudEnabled(s)) return local;
  const client = createCarsXEClient({ apiKey: s.apiKey });
  return withCloudFallback(local, client, { minConfidence: s.threshold, onCloudError });
}

/** Cloud only (used for plates while the local plate models are not available). */
export function cloudOnly(s: Settings): Pick<Recognizer, 'recognizePlate' | 'readVin'> | null {
  if (!cloudEnabled(s)) return null;
  const client = createCarsXEClient({ apiKey: s.apiKey });
  return {
    recognizePlate: async (input) => ({ ...(await client.recognizePlate(input)), source: 'cloud' }),
    readVin: async (input) => ({ ...(await client.readVin(input)), source: 'cloud' }),
  };
}
