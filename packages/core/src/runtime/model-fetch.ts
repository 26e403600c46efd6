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

/** Deadlines for model loading: each file, and everything together. */
export interface ModelTiming {
  fileTimeoutMs: number;
  /** Date.now() by which the manifest and every model must be in. */
  deadline: number;
  totalTimeoutMs: number;
}

export function modelTiming(o: { modelFileTimeoutMs?: number; modelTimeoutMs?: number }): ModelTiming {
  const totalTimeoutMs = o.modelTimeoutMs ?? 300_000;
  return { fileTimeoutMs: o.modelFileTimeoutMs ?? 120_000, totalTimeoutMs, deadline: Date.now() + totalTimeoutMs };
}

const fetchFailed = (why: string) => new PlateLensError(503, 'MODEL_FETCH_FAILED', why);

/**
 * GET one model file (or the manifest) under the file and total deadlines: a stalled
 * server ends as a typed 503 naming the URL and how far it got, not a hang.
 */
async function timedGet<T>(
  url: string,
  what: string,
  timing: ModelTiming,
  fetchImpl: typeof fetch,
  read: (res: Response) => Promise<T>,
): Promise<T> {
  const left = timing.deadline - Date.now();
  const perFile = left > timing.fileTimeoutMs;
  const ms = Math.max(0, Math.min(timing.fileTimeoutMs, left));
  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(), ms);
  const progress = { loaded: 0 };
  try {
    let res: Response;
    try {
      res = await fetchImpl(url, { signal: ctrl.signal });
    } catch (e) {
      if (!ctrl.signal.aborted) throw fetchFailed(`Could not fetch ${what} ${url}: ${(e as Error).message}`);
      throw e;
    }
    if (!res.ok) {
      void res.body?.cancel().catch(() => undefined);
      throw fetchFailed(`Could not fetch ${what} ${url}: HTTP ${res.status}`);
    }
    return await read(Object.assign(res, { progress }));
  } catch (e) {
    if (e instanceof PlateLensError) throw e;
    if (ctrl.signal.aborted) {
      const limit = perFile ? `its ${timing.fileTimeoutMs} ms file timeout` : `the ${timing.totalTimeoutMs} ms model loading timeout`;
      throw fetchFailed(`Could not fetch ${what} ${url}: no complete answer within ${limit} (got ${progress.loaded} bytes)`);
    }
    throw fetchFailed(`Could not fetch ${what} ${url}: ${(e as Error)?.message ?? e}`);
  } finally {
    clearTimeout(timer);
    ctrl.abort();
  }
}

/** The manifest as text (for parseManifest), under the loading deadlines. */
export function fetchManifestText(url: string, timing: ModelTiming, fetchImpl: typeof fetch = fetch): Promise<string> {
  return timedGet(url, 'model manifest', timing, fetchImpl, (res) => res.text());
}

export async function fetchModel(
  baseUrl: string,
  entry: ModelEntry,
  onProgress?: ProgressCallback,
  fetchImpl: typeof fetch = fetch,
  timing: ModelTiming = modelTiming({}),
): Promise<Uint8Array> {
  const url = new URL(entry.file, baseUrl).href;
  const total = entry.bytes;
  const out = new Uint8Array(total);
  let loaded = 0;
  await timedGet(url, 'model', timing, fetchImpl, async (res) => {
    const p = (res as Response & { progress: { loaded: number } }).progress;
    const reader = res.body?.getReader();
    if (!reader) {
      const buf = new Uint8Array(await res.arrayBuffer());
      out.set(buf.subarray(0, total));
      loaded = buf.length;
      return;
    }
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (loaded + value.length > total) {
        void reader.cancel().catch(() => undefined);
        throw new PlateLensError(500, 'MODEL_INTEGRITY', `Model ${entry.file} is larger than the manifest says`);
      }
      out.set(value, loaded);
      loaded += value.length;
      p.loaded = loaded;
      onProgress?.({ stage: 'download', file: entry.file, loaded, total });
    }
  });
  if (loaded !== total) {
    throw new PlateLensError(500, 'MODEL_INTEGRITY', `Model ${entry.file}: got ${loaded} bytes, manifest says ${total}`);
  }
  onProgress?.({ stage: 'verify', file: entry.file, loaded, total });
  await verifyModel(entry, out);
  return out;
}
