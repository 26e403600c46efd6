/**
 * One error type for the whole package, shaped like CarsXE's error replies
 * (`status` = the HTTP status CarsXE would answer, `message` = its text), plus a
 * machine-readable `code`. It is plain data so it survives the worker boundary
 * (see runtime/transfer.ts) and is shared with @platelens/cloud.
 */
export type PlateLensErrorCode =
  | 'MISSING_IMAGE'
  | 'INVALID_IMAGE'
  | 'NO_TEXT'
  | 'NO_VIN'
  | 'NO_PLATE'
  | 'INVALID_OPTIONS'
  | 'MODEL_FETCH_FAILED'
  | 'MODEL_MANIFEST_INVALID'
  | 'MODEL_INTEGRITY'
  | 'BACKEND_UNAVAILABLE'
  | 'DISPOSED'
  | 'WORKER_GONE'
  | 'URL_NOT_ALLOWED'
  | 'IMAGE_TOO_LARGE'
  | 'NOT_IMPLEMENTED'
  | 'UNAUTHORIZED'
  | 'RATE_LIMITED'
  | 'CLOUD_ERROR'
  | 'INTERNAL';

export interface PlateLensErrorData {
  name: 'PlateLensError';
  status: number;
  code: PlateLensErrorCode;
  message: string;
}

export class PlateLensError extends Error {
  override readonly name = 'PlateLensError' as const;
  readonly status: number;
  readonly code: PlateLensErrorCode;
  // plain fields, not parameter properties: consumers compile with erasableSyntaxOnly
  constructor(status: number, code: PlateLensErrorCode, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }

  toJSON(): PlateLensErrorData {
    return { name: this.name, status: this.status, code: this.code, message: this.message };
  }

  static from(data: PlateLensErrorData): PlateLensError {
    return new PlateLensError(data.status, data.code, data.message);
  }

  static is(e: unknown): e is PlateLensError {
    return e instanceof PlateLensError;
  }
}

// CarsXE's documented messages, kept in one place so local and cloud answers read alike.
export const errors = {
  missingImage: () => new PlateLensError(400, 'MISSING_IMAGE', 'Missing image data'),
  invalidImage: (why?: string) =>
    new PlateLensError(400, 'INVALID_IMAGE', why ? `Invalid image data: ${why}` : 'Invalid image data'),
  noText: () => new PlateLensError(400, 'NO_TEXT', 'No text detected in image'),
  noVin: () => new PlateLensError(404, 'NO_VIN', 'No valid VIN candidates found'),
  noPlate: () => new PlateLensError(404, 'NO_PLATE', 'No plates detected in image'),
  invalidOptions: (why: string) => new PlateLensError(400, 'INVALID_OPTIONS', `Invalid options: ${why}`),
  disposed: () =>
    new PlateLensError(500, 'DISPOSED', 'Recognizer was disposed: create a new one with createRecognizer()'),
  workerGone: (why: string) =>
    new PlateLensError(500, 'WORKER_GONE', `The recognizer's worker stopped (${why}): create a new one with createRecognizer()`),
  urlNotAllowed: (why: string) => new PlateLensError(400, 'URL_NOT_ALLOWED', `Invalid image data: ${why}`),
  tooLarge: (why: string) => new PlateLensError(413, 'IMAGE_TOO_LARGE', `Invalid image data: ${why}`),
  internal: (why: string) => new PlateLensError(500, 'INTERNAL', why),
};

/** Any thrown value → PlateLensError (unknown failures become 500 INTERNAL). */
export function toPlateLensError(e: unknown): PlateLensError {
  if (e instanceof PlateLensError) return e;
  const msg = e instanceof Error ? e.message : String(e);
  return errors.internal(msg);
}
