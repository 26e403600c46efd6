/**
 * Download model bytes with progress events and check them against the manifest's
 * sha256 — a truncated download or a swapped file fails loudly, not as garbage output.
 */
import { PlateLensError } from '../errors.ts';
import type { ModelEntry } from './manifest.ts';

export type ProgressEvent =
  | { stage: 'download'; file: string; loaded: number; total: number }
  | { stage: 'verify'; file: string; loaded: number; total: number }
  | { stage: 'session'; file: string; loaded: number; total: number }
  | { stage: 'ready'; file: string; loaded: number; total: number };

export type ProgressCallback = (e: ProgressEvent) => void;

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

export async function verifyModel(entry: ModelEntry, bytes: Uint8Array): Promise<void> {
  const got = await sha256Hex(bytes);
  if (got !== entry.sha256) {
    throw new PlateLensError(
      500,
      'MODEL_INTEGRITY',
      `Model ${entry.file} failed its integrity check (sha256 ${got.slice(0, 12)}… ≠ manifest ${entry.sha256.slice(0, 12)}…)`,
    );
  }
}

export async function fetchModel(
  baseUrl: string,
  entry: ModelEntry,
  onProgress?: ProgressCallback,
  fetchImpl: typeof fetch = fetch,
): Promise<Uint8Array> {
  const url = new URL(entry.file, baseUrl).href;
  let res: Response;
  try {
    res = await fetchImpl(url);
  } catch (e) {
    throw new PlateLensError(503, 'MODEL_FETCH_FAILED', `Could not fetch model ${url}: ${(e as Error).message}`);
  }
  if (!res.ok) throw new PlateLensError(503, 'MODEL_FETCH_FAILED', `Could not fetch model ${url}: HTTP ${res.status}`);
  const total = entry.bytes;
  const out = new Uint8Array(total);
  let loaded = 0;
  const reader = res.body?.getReader();
  if (!reader) {
    const buf = new Uint8Array(await res.arrayBuffer());
    out.set(buf.subarray(0, total));
    loaded = buf.length;
  } else {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (loaded + value.length > total) {
        throw new PlateLensError(500, 'MODEL_INTEGRITY', `Model ${entry.file} is larger than the manifest says`);
      }
      out.set(value, loaded);
      loaded += value.length;
      onProgress?.({ stage: 'download', file: entry.file, loaded, total });
    }
  }
  if (loaded !== total) {
    throw new PlateLensError(500, 'MODEL_INTEGRITY', `Model ${entry.file}: got ${loaded} bytes, manifest says ${total}`);
  }
  onProgress?.({ stage: 'verify', file: entry.file, loaded, total });
  await verifyModel(entry, out);
  return out;
}
