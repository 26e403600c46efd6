/**
 * A thin CarsXE client: POST {baseUrl}/platerecognition and {baseUrl}/v1/vinocr with
 * `?key=` and `{"image_url": …}`; replies parsed with @platelens/core's schemas, errors
 * typed. One deadline (timeoutMs) bounds a call, retries included; only 429, 5xx and
 * network failures are retried, with exponential backoff + jitter (Retry-After honoured).
 *
 * The key goes only into the request URL for baseUrl: never logged, never in an error
 * message (every message is scrubbed), redirects are not followed.
 */
import {
  PlateLensError,
  PlateResponseSchema,
  VinResponseSchema,
  type ImageInput,
  type PlateResponse,
  type VinResponse,
} from '@platelens/core';
import { toImageUrl } from './encode.ts';
import { cloudErrors, httpError, redactor, scrub, serverMessage, type CloudTask } from './errors.ts';

export const DEFAULT_BASE_URL = 'https://api.carsxe.com';

export interface CarsXEClientOptions {
  /** CarsXE API key. Without one the client never sends anything (calls throw 401 UNAUTHORIZED). */
  apiKey?: string;
  /** Default https://api.carsxe.com; a self-hosted proxy or a test server (may include a path). */
  baseUrl?: string;
  /** Deadline for a whole call, retries and backoff included. Default 15 000 ms. */
  timeoutMs?: number;
  /** Extra attempts after the first, for 429 / 5xx / network errors only. Default 2. */
  retries?: number;
  /** Base of the exponential backoff (attempt n waits ~base·2ⁿ, with jitter). Default 300 ms. */
  retryDelayMs?: number;
  /** Longest single wait; a Retry-After longer than this ends the retries. Default 10 000 ms. */
  maxRetryDelayMs?: number;
  /** fetch implementation (default: globalThis.fetch). */
  fetch?: typeof fetch;
}

export interface CarsXEClient {
  /** Whether a key is configured (the fallback sends nothing without one). */
  readonly hasKey: boolean;
  /** POST /v1/vinocr */
  readVin(image: ImageInput): Promise<VinResponse>;
  /** POST /platerecognition */
  recognizePlate(image: ImageInput): Promise<PlateResponse>;
}

interface Resolved {
  apiKey: string | undefined;
  base: URL;
  timeoutMs: number;
  retries: number;
  retryDelayMs: number;
  maxRetryDelayMs: number;
  fetch: typeof fetch;
}

function resolve(o: CarsXEClientOptions): Resolved {
  if (o == null || typeof o !== 'object') throw cloudErrors.invalidOptions('expected an options object');
  if (o.apiKey !== undefined && typeof o.apiKey !== 'string') throw cloudErrors.invalidOptions('apiKey: expected a string');
  const int = (name: string, v: number | undefined, def: number, min: number, max: number) => {
    if (v === undefined) return def;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      throw cloudErrors.invalidOptions(`${name}: expected an integer from ${min} to ${max}`);
    }
    return v;
  };
  let base: URL;
  try {
    base = new URL(o.baseUrl ?? DEFAULT_BASE_URL);
  } catch {
    throw cloudErrors.invalidOptions('baseUrl: expected an absolute http(s) URL');
  }
  if (base.protocol !== 'https:' && base.protocol !== 'http:') {
    throw cloudErrors.invalidOptions('baseUrl: expected an absolute http(s) URL');
  }
  if (base.username || base.password) throw cloudErrors.invalidOptions('baseUrl: must not contain credentials');
  if (o.fetch !== undefined && typeof o.fetch !== 'function') throw cloudErrors.invalidOptions('fetch: expected a function');
  const f = o.fetch;
  return {
    apiKey: o.apiKey?.trim() || undefined,
    base,
    timeoutMs: int('timeoutMs', o.timeoutMs, 15_000, 1, 600_000),
    retries: int('retries', o.retries, 2, 0, 10),
    retryDelayMs: int('retryDelayMs', o.retryDelayMs, 300, 0, 60_000),
    maxRetryDelayMs: int('maxRetryDelayMs', o.maxRetryDelayMs, 10_000, 0, 600_000),
    // looked up per call, so a fetch replaced after creation is used; never called as a method
    fetch: f ? (input, init) => f(input, init) : (input, init) => globalThis.fetch(input, init),
  };
}

const PATHS: Record<CloudTask, string> = { vin: '/v1/vinocr', plate: '/platerecognition' };

export function createCarsXEClient(options: CarsXEClientOptions = {}): CarsXEClient {
  const cfg = resolve(options);
  const redact = redactor(cfg.apiKey);

  const endpoint = (task: CloudTask): string => {
    const u = new URL(cfg.base.href);
    u.pathname = u.pathname.replace(/\/+$/, '') + PATHS[task];
    u.hash = '';
    u.searchParams.set('key', cfg.apiKey!);
    return u.href;
  };

  async function call<T>(task: CloudTask, image: ImageInput, parse: (body: unknown) => T): Promise<T> {
    if (!cfg.apiKey) throw cloudErrors.noKey();
    const imageUrl = await toImageUrl(image);
    try {
      return await send(task, JSON.stringify({ image_url: imageUrl }), parse);
    } catch (e) {
      const err = e instanceof PlateLensError ? e : new PlateLensError(500, 'INTERNAL', String((e as Error)?.message ?? e));
      throw scrub(err, redact);
    }
  }

  async function send<T>(task: CloudTask, body: string, parse: (body: unknown) => T): Promise<T> {
    const url = endpoint(task);
    const deadline = Date.now() + cfg.timeoutMs;
    for (let attempt = 0; ; attempt++) {
      const left = deadline - Date.now();
      if (left <= 0) throw cloudErrors.timeout(cfg.timeoutMs, task);
      const ctrl = new AbortController();
      const timer = setTimeout(() => ctrl.abort(), left);
      let status: number;
      let retryAfter: string | null = null;
      let text: string;
      try {
        const res = await cfg.fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json' },
          body,
          signal: ctrl.signal,
          redirect: 'manual',
          credentials: 'omit',
          referrerPolicy: 'no-referrer',
        });
        if (res.type === 'opaqueredirect' || (res.status >= 300 && res.status < 400)) throw cloudErrors.redirect(task);
        status = res.status;
        retryAfter = res.headers.get('retry-after');
        // an answer is a few KB: read at most this much (an error body is only looked at for its message)
        const ok = status >= 200 && status < 300;
        const read = await readText(res, ok ? MAX_REPLY_BYTES : MAX_ERROR_BYTES);
        if (read.cut && ok) throw cloudErrors.malformed(task, `reply larger than ${MAX_REPLY_BYTES} bytes`);
        text = read.text;
      } catch (e) {
        if (e instanceof PlateLensError) throw e;
        if (ctrl.signal.aborted) throw cloudErrors.timeout(cfg.timeoutMs, task);
        const err = cloudErrors.network(describe(e), task);
        const wait = backoff(attempt);
        if (attempt < cfg.retries && wait < deadline - Date.now()) {
          await sleep(wait);
          continue;
        }
        throw err;
      } finally {
        clearTimeout(timer);
      }

      let json: unknown;
      let isJson = true;
      try {
        json = JSON.parse(text);
      } catch {
        isJson = false;
      }

      if (status >= 200 && status < 300) {
        if (!isJson) throw cloudErrors.malformed(task, 'not JSON');
        const s = json as { success?: unknown; status?: unknown; code?: unknown };
        if (s && typeof s === 'object' && s.success === false) {
          // CarsXE v1 routes may put the error in a 200 body: its own status (number or
          // numeric string, in `status` or `code`) wins, else what its message says
          const carried = [s.status, s.code].map(Number).find((n) => Number.isInteger(n) && n >= 400 && n < 600);
          const st = carried ?? statusFromMessage(json);
          if (st === undefined) throw cloudErrors.unexplained(task);
          throw httpError(st, json, task);
        }
        return parse(json);
      }

      const err = httpError(status, isJson ? json : undefined, task);
      if (status !== 429 && status < 500) throw err;
      if (attempt >= cfg.retries) throw err;
      let wait = backoff(attempt);
      const ra = parseRetryAfter(retryAfter);
      if (ra !== undefined) {
        // waiting less than the server asked is pointless; waiting longer than we allow is too long
        if (ra > cfg.maxRetryDelayMs) throw err;
        wait = Math.max(ra, wait);
      }
      if (wait >= deadline - Date.now()) throw err;
      await sleep(wait);
    }
  }

  function backoff(attempt: number): number {
    const exp = Math.min(cfg.maxRetryDelayMs, cfg.retryDelayMs * 2 ** attempt);
    return exp / 2 + Math.random() * (exp / 2);
  }

  return {
    hasKey: cfg.apiKey !== undefined,
    readVin: (image) => call('vin', image, (b) => validated(VinResponseSchema, b, 'vin')),
    recognizePlate: (image) => call('plate', image, (b) => validated(PlateResponseSchema, b, 'plate')),
  };
}

type Schema<T> = { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } } };

function validated<T>(schema: Schema<T>, body: unknown, task: CloudTask): T {
  const r = schema.safeParse(body);
  if (r.success) return r.data;
  const i = r.error.issues[0];
  const where = i ? `${i.path.map(String).join('.') || '(root)'}: ${i.message}` : 'does not match the CarsXE shape';
  throw cloudErrors.malformed(task, where);
}

/** For an error sent with HTTP 200: the status its message implies (undefined without a message). */
function statusFromMessage(body: unknown): number | undefined {
  const m = serverMessage(body);
  if (m === undefined) return undefined;
  if (/limit|quota/i.test(m)) return 429;
  if (/\bkey\b/i.test(m)) return 401;
  if (/\bno\b.*\b(vin|plate|text)|not found/i.test(m)) return 404;
  if (/missing|invalid/i.test(m)) return 400;
  return 502;
}

const MAX_REPLY_BYTES = 1 << 20;
const MAX_ERROR_BYTES = 64 << 10;

/** A body as text, at most max bytes (the rest is not downloaded). */
async function readText(res: Response, max: number): Promise<{ text: string; cut: boolean }> {
  if (!res.body) return { text: '', cut: false };
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let n = 0;
  let cut = false;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (n + value.byteLength > max) {
      chunks.push(value.subarray(0, max - n));
      n = max;
      cut = true;
      void reader.cancel().catch(() => undefined);
      break;
    }
    chunks.push(value);
    n += value.byteLength;
  }
  const all = new Uint8Array(n);
  let o = 0;
  for (const c of chunks) {
    all.set(c, o);
    o += c.byteLength;
  }
  return { text: new TextDecoder().decode(all), cut };
}

/** Retry-After: delta-seconds or an HTTP date → ms (undefined when absent/unparseable). */
export function parseRetryAfter(v: string | null, now = Date.now()): number | undefined {
  if (v == null) return undefined;
  const t = v.trim();
  if (/^\d+$/.test(t)) return Number(t) * 1000;
  const at = Date.parse(t);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** A network error's text, without anything that could carry the URL (and so the key). */
function describe(e: unknown): string {
  const name = (e as { name?: string })?.name;
  const msg = (e as { message?: string })?.message;
  const code = (e as { cause?: { code?: unknown } })?.cause?.code;
  const base = typeof msg === 'string' && msg.length < 200 ? msg : name ?? 'network error';
  return typeof code === 'string' ? `${base}: ${code}` : base;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
