/**
 * Browser model cache (Cache API, like transformers.js `useBrowserCache`): a model that was
 * downloaded and verified once is read from Cache Storage on the next visit, after the same
 * sha256 check, so a changed or corrupted entry is fetched again instead of used. Where the
 * Cache API is missing or refuses (Node, opaque origins, storage full) it only falls back to
 * the network; a failed write is logged, never fatal.
 */
import type { ModelEntry } from './manifest.ts';
import { fetchModel, modelTiming, sha256Hex, type ModelTiming, type ProgressCallback } from './model-fetch.ts';

export const MODEL_CACHE_NAME = 'platelens-models';

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
    if (bytes.length === entry.bytes && (await sha256Hex(bytes)) === entry.sha256) {
      onProgress?.({ stage: 'download', file: entry.file, loaded: bytes.length, total: entry.bytes });
      onProgress?.({ stage: 'verify', file: entry.file, loaded: bytes.length, total: entry.bytes });
      return bytes;
    }
    await cache!.delete(url).catch(() => undefined);
  }
  const bytes = await fetchModel(baseUrl, entry, onProgress, fetch, timing);
  if (cache) {
    const body = new Response(bytes as Uint8Array<ArrayBuffer>, { headers: { 'Content-Type': 'application/octet-stream' } });
    await cache.put(url, body).catch((e: unknown) => log?.(`could not cache ${entry.file}: ${(e as Error)?.message ?? e}`));
  }
  return bytes;
}
