/**
 * Browser model cache (Cache API, like transformers.js `useBrowserCache`): a model that was
 * downloaded and verified once is read from Cache Storage on the next visit. The entry carries
 * the digest it was verified against (VERIFIED_HEADER), so a start does not hash megabytes again
 * (0.3–1.3 s per start in Chromium); an entry without it (written by anything else) or for another
 * digest is hashed, and a changed or corrupted one is fetched again instead of used. Where the
 * Cache API is missing or refuses (Node, opaque origins, storage full) it only falls back to
 * the network; a failed write is logged, never fatal.
 */
import type { ModelEntry } from './manifest.ts';
import { fetchModel, modelTiming, sha256Hex, type ModelTiming, type ProgressCallback } from './model-fetch.ts';

export const MODEL_CACHE_NAME = 'platelens-models';
/** Response header of a cache entry: the manifest sha256 its bytes were checked against when stored. */
export const VERIFIED_HEADER = 'x-platelens-sha256';

async function openCache(): Promise<Cache | null> {
  const c = (globalThis as { caches?: CacheStorage }).caches;
  if (!c) return null;
  try {
    return await c.open(MODEL_CACHE_NAME);
  } catch {
    return null;
  }
}

export async function fetchModelCached(
  baseUrl: string,
  entry: ModelEntry,
  onProgress?: ProgressCallback,
  timing: ModelTiming = modelTiming({}),
  log?: (msg: string) => void,
): Promise<Uint8Array> {
  const url = new URL(entry.file, baseUrl).href;
  const cache = await openCache();
  const hit = await cache?.match(url).catch(() => undefined);
  if (hit) {
    const bytes = new Uint8Array(await hit.arrayBuffer());
    const verified = hit.headers.get(VERIFIED_HEADER) === entry.sha256;
    if (bytes.length === entry.bytes && (verified || (await sha256Hex(bytes)) === entry.sha256)) {
      onProgress?.({ stage: 'download', file: entry.file, loaded: bytes.length, total: entry.bytes });
      onProgress?.({ stage: 'verify', file: entry.file, loaded: bytes.length, total: entry.bytes });
      return bytes;
    }
    await cache!.delete(url).catch(() => undefined);
  }
  const bytes = await fetchModel(baseUrl, entry, onProgress, fetch, timing);
  if (cache) {
    // fetchModel checked the bytes against entry.sha256: record that with them
    const headers = { 'Content-Type': 'application/octet-stream', [VERIFIED_HEADER]: entry.sha256 };
    const body = new Response(bytes as Uint8Array<ArrayBuffer>, { headers });
    await cache.put(url, body).catch((e: unknown) => log?.(`could not cache ${entry.file}: ${(e as Error)?.message ?? e}`));
  }
  return bytes;
}
