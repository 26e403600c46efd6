/**
 * CarsXE HTTP answers → PlateLensError (the same type @platelens/core throws), so an
 * app handles a local "no VIN" and a cloud "no VIN" with one code path.
 */
import { PlateLensError, type PlateLensErrorCode } from '@platelens/core';

export type CloudTask = 'vin' | 'plate';

/** What each endpoint is called in messages. */
export const TASK_NAME: Record<CloudTask, string> = { vin: 'VIN OCR', plate: 'plate recognition' };

const NOT_FOUND: Record<CloudTask, { code: PlateLensErrorCode; message: string }> = {
  vin: { code: 'NO_VIN', message: 'No valid VIN candidates found' },
  plate: { code: 'NO_PLATE', message: 'No plates detected in image' },
};

/** Longest server message passed on (cut only after the key is scrubbed: see scrub). */
export const MAX_MESSAGE = 500;

/**
 * A non-empty message from an error body: `{ message }`, `{ error: "…" }` or
 * `{ error: { message } }`. Returned whole: cutting it here could leave a piece of an
 * echoed key that the scrubber no longer recognises.
 */
export function serverMessage(body: unknown): string | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const b = body as { message?: unknown; error?: unknown };
  const err = b.error && typeof b.error === 'object' ? (b.error as { message?: unknown }).message : b.error;
  for (const m of [b.message, err]) if (typeof m === 'string' && m.trim() !== '') return m.trim();
  return undefined;
}

/**
 * HTTP status (+ the server's message when it sent one) → typed error.
 * 400 missing/invalid image, 401/403 key, 404 nothing found (or key not found),
 * 429 usage limit, 5xx and anything else → CLOUD_ERROR.
 */
export function httpError(status: number, body: unknown, task: CloudTask): PlateLensError {
  const msg = serverMessage(body);
  if (status === 400) {
    if (msg && /no text/i.test(msg)) return new PlateLensError(400, 'NO_TEXT', msg);
    if (!msg || /missing/i.test(msg)) return new PlateLensError(400, 'MISSING_IMAGE', msg ?? 'Missing image data');
    return new PlateLensError(400, 'INVALID_IMAGE', msg);
  }
  if (status === 401 || status === 403) {
    return new PlateLensError(status, 'UNAUTHORIZED', msg ?? 'CarsXE API key is missing, invalid or inactive');
  }
  if (status === 404) {
    // "key not found" is an account problem, not "no VIN in this image"
    if (msg && /\b(api[ _-]?)?key\b/i.test(msg)) return new PlateLensError(404, 'UNAUTHORIZED', msg);
    return new PlateLensError(404, NOT_FOUND[task].code, msg ?? NOT_FOUND[task].message);
  }
  if (status === 429) return new PlateLensError(429, 'RATE_LIMITED', msg ?? 'CarsXE API usage limit exceeded');
  if (status >= 500) return new PlateLensError(status, 'CLOUD_ERROR', msg ?? `CarsXE ${TASK_NAME[task]} service error (HTTP ${status})`);
  return new PlateLensError(status >= 400 ? status : 502, 'CLOUD_ERROR', msg ?? `CarsXE ${TASK_NAME[task]} answered HTTP ${status}`);
}

export const cloudErrors = {
  noKey: () =>
    new PlateLensError(401, 'UNAUTHORIZED', 'No CarsXE API key configured: nothing was sent (pass apiKey to createCarsXEClient)'),
  timeout: (ms: number, task: CloudTask) =>
    new PlateLensError(504, 'CLOUD_ERROR', `CarsXE ${TASK_NAME[task]} did not answer within ${ms} ms`),
  network: (why: string, task: CloudTask) =>
    new PlateLensError(503, 'CLOUD_ERROR', `CarsXE ${TASK_NAME[task]} could not be reached (${why})`),
  redirect: (task: CloudTask) =>
    new PlateLensError(
      502,
      'CLOUD_ERROR',
      `CarsXE ${TASK_NAME[task]} answered with a redirect; redirects are not followed so the API key only goes to baseUrl`,
    ),
  unexplained: (task: CloudTask) =>
    new PlateLensError(502, 'CLOUD_ERROR', `CarsXE ${TASK_NAME[task]} answered success: false without a status or message`),
  malformed: (task: CloudTask, why: string) =>
    new PlateLensError(502, 'CLOUD_ERROR', `CarsXE ${TASK_NAME[task]} sent a malformed reply (${why}); it was not passed on`),
  invalidOptions: (why: string) => new PlateLensError(400, 'INVALID_OPTIONS', `Invalid options: ${why}`),
};

/** Replaces every occurrence of the key (raw and URL-encoded) in a message. */
export function redactor(apiKey: string | undefined): (s: string) => string {
  if (!apiKey) return (s) => s;
  const forms = [...new Set([apiKey, encodeURIComponent(apiKey), new URLSearchParams({ k: apiKey }).toString().slice(2)])];
  return (s) => forms.reduce((acc, f) => acc.split(f).join('[redacted]'), s);
}

/** The same error with the key scrubbed from its message, then cut to MAX_MESSAGE (status and code kept). */
export function scrub(e: PlateLensError, redact: (s: string) => string): PlateLensError {
  let m = redact(e.message);
  if (m.length > MAX_MESSAGE) m = m.slice(0, MAX_MESSAGE - 1) + '…';
  return m === e.message ? e : new PlateLensError(e.status, e.code, m);
}
