/**
 * A fake CarsXE (a real HTTP server on 127.0.0.1) following the documented contract:
 *   POST /platerecognition?key=KEY   and   POST /v1/vinocr?key=KEY
 *   body: {"image_url": "<public URL or base64>"}
 * Errors are CarsXE's envelope `{ success: false, message }`. Every answer carries CORS
 * headers and `Cross-Origin-Resource-Policy: cross-origin`, so a cross-origin-isolated
 * page (COEP require-corp) can call it. Scenarios pick the answer (see Scenario).
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';

export type Scenario =
  /** 200 with the canned plate / VIN answer */
  | 'ok'
  /** 401: key inactive */
  | 'inactive'
  /** 429: usage limit, every time */
  | 'limit'
  /** 429 (`failures` times, default 1), then 200 */
  | 'flaky'
  /** 500: service error */
  | 'error'
  /** 200 with a body that fails the response schema */
  | 'malformed'
  /** 200 after `delayMs` (default 2000) */
  | 'slow'
  /** 404: no VIN / no plate in the image */
  | 'notfound';

export interface ScenarioOptions {
  /** 'slow': how long to wait before answering. */
  delayMs?: number;
  /** 'flaky': how many 429s before the 200. */
  failures?: number;
  /** 'limit' / 'flaky': a Retry-After header value to send with the 429. */
  retryAfter?: string;
  /** 'error': the 5xx status to send (default 500). */
  errorStatus?: number;
  /** Overrides merged into the canned VIN answer (e.g. `{ confidence: 1 }`). */
  vin?: Record<string, unknown>;
  /** Overrides merged into the canned plate answer's first result. */
  plate?: Record<string, unknown>;
}

export interface RecordedRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  /** The `key` query parameter (null when absent). */
  key: string | null;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  /** The raw body text. */
  rawBody: string;
  /** The parsed JSON body (undefined when it was not JSON). */
  body: unknown;
  /** The status the fake answered (0 until answered, e.g. while 'slow'). */
  status: number;
}

export interface FakeCarsXE {
  /** http://127.0.0.1:PORT (no trailing slash): pass as baseUrl. */
  url: string;
  /** Every non-preflight request, in arrival order. */
  requests: RecordedRequest[];
  /** CORS preflights (OPTIONS), kept apart so request counts are exact. */
  preflights: RecordedRequest[];
  setScenario(s: Scenario, options?: ScenarioOptions): void;
  /** Forget recorded requests (the scenario stays). */
  clear(): void;
  close(): Promise<void>;
}

export const CANNED_VIN = '1HGCM82633A004352';
export const CANNED_PLATE = 'cloud123';

export function cannedVin(over: Record<string, unknown> = {}) {
  const box = { xmin: 112, ymin: 208, xmax: 596, ymax: 246 };
  const confidence = (over.confidence as number | undefined) ?? 0.98;
  const vin = (over.vin as string | undefined) ?? CANNED_VIN;
  return { success: true, vin, box, confidence, candidates: [{ vin, confidence, box }], ...over };
}

export function cannedPlate(over: Record<string, unknown> = {}) {
  const score = (over.score as number | undefined) ?? 0.97;
  const plate = (over.plate as string | undefined) ?? CANNED_PLATE;
  return {
    success: true,
    message: '',
    results: [
      {
        box: { xmin: 2045, ymin: 1400, xmax: 2732, ymax: 1587 },
        plate,
        region: { code: 'us-ca', score: 0.849 },
        score,
        candidates: [
          { score, plate },
          { score: 0.41, plate: 'c1oud123' },
        ],
        dscore: 0.95,
        vehicle: { score: 0.88, type: 'Sedan', box: { xmin: 1200, ymin: 600, xmax: 3300, ymax: 2100 } },
        ...over,
      },
    ],
    processing_time: 117.822,
  };
}

const MALFORMED = {
  vin: { success: true, vin: 1234567, confidence: 'high', box: null },
  plate: { success: true, results: [{ plate: 'cloud123', score: 7 }] },
};

const ROUTES: Record<string, 'vin' | 'plate'> = { '/v1/vinocr': 'vin', '/platerecognition': 'plate' };

const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;
const looksLikeImage = (s: string) =>
  /^https?:\/\/\S+$/i.test(s) || /^data:image\/[a-z+.-]+;base64,/i.test(s) || BASE64.test(s.replace(/\s+/g, ''));

const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'POST, OPTIONS',
  'access-control-allow-headers': 'content-type, accept',
  'access-control-expose-headers': 'retry-after',
  'access-control-max-age': '600',
  'cross-origin-resource-policy': 'cross-origin',
};

const MAX_BODY = 25 * 1024 * 1024;

export interface FakeCarsXEOptions {
  /** 0 (default): a random free port. */
  port?: number;
  /** Known keys; any other key gets 404 'API key not found'. Default: every non-empty key is known. */
  keys?: string[];
}

export async function startFakeCarsXE(options: FakeCarsXEOptions = {}): Promise<FakeCarsXE> {
  let scenario: Scenario = 'ok';
  let opts: ScenarioOptions = {};
  let failuresLeft = 0;
  const requests: RecordedRequest[] = [];
  const preflights: RecordedRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();

  const server = createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://fake.invalid');
    const chunks: Buffer[] = [];
    let size = 0;
    let tooBig = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) tooBig = true;
      else chunks.push(c);
    });
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      try {
        body = rawBody ? JSON.parse(rawBody) : undefined;
      } catch {
        body = undefined;
      }
      const rec: RecordedRequest = {
        method: req.method ?? '',
        path: u.pathname,
        key: u.searchParams.get('key'),
        query: Object.fromEntries(u.searchParams),
        headers: req.headers,
        rawBody,
        body,
        status: 0,
      };
      const send = (status: number, payload: unknown, extra: Record<string, string> = {}) => {
        rec.status = status;
        if (res.destroyed) return;
        res.writeHead(status, { ...CORS, 'content-type': 'application/json', ...extra });
        res.end(typeof payload === 'string' ? payload : JSON.stringify(payload));
      };
      const fail = (status: number, message: string, extra?: Record<string, string>) =>
        send(status, { success: false, message }, extra);

      if (req.method === 'OPTIONS') {
        preflights.push(rec);
        rec.status = 204;
        res.writeHead(204, CORS).end();
        return;
      }
      requests.push(rec);
      if (req.method !== 'POST') return fail(405, 'Method not allowed');
      const task = ROUTES[u.pathname];
      if (!task) return fail(404, 'Not found');
      if (!rec.key) return fail(401, 'Missing API key');
      if (options.keys && !options.keys.includes(rec.key)) return fail(404, 'API key not found');
      if (scenario === 'inactive') return fail(401, 'API key is inactive');
      if (tooBig) return fail(413, 'Image too large');
      const image = (body as { image_url?: unknown } | undefined)?.image_url;
      if (typeof image !== 'string' || image.trim() === '') return fail(400, 'Missing image data');
      if (!looksLikeImage(image.trim())) return fail(400, 'Invalid image data');

      const ok = () => send(200, task === 'vin' ? cannedVin(opts.vin) : cannedPlate(opts.plate));
      const retryAfter: Record<string, string> = opts.retryAfter !== undefined ? { 'retry-after': opts.retryAfter } : {};
      switch (scenario) {
        case 'ok':
          return ok();
        case 'limit':
          return fail(429, 'API usage limit exceeded', retryAfter);
        case 'flaky':
          if (failuresLeft > 0) {
            failuresLeft--;
            return fail(429, 'API usage limit exceeded', retryAfter);
          }
          return ok();
        case 'error':
          return fail(opts.errorStatus ?? 500, 'Could not get information at this time');
        case 'malformed':
          return send(200, MALFORMED[task]);
        case 'notfound':
          return fail(404, task === 'vin' ? 'No valid VIN candidates found' : 'No plates detected in image');
        case 'slow': {
          const t = setTimeout(() => {
            timers.delete(t);
            ok();
          }, opts.delayMs ?? 2000);
          timers.add(t);
          return;
        }
      }
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as { port: number };

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    preflights,
    setScenario(s, o = {}) {
      scenario = s;
      opts = o;
      failuresLeft = s === 'flaky' ? (o.failures ?? 1) : 0;
    },
    clear() {
      requests.length = 0;
      preflights.length = 0;
    },
    async close() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** `node --import tsx tests/fake-carsxe/server.ts [port]`: run it by hand. */
if (import.meta.url === `file://${process.argv[1]}`) {
  const fake = await startFakeCarsXE({ port: Number(process.argv[2] ?? 0) });
  console.log(`fake CarsXE on ${fake.url} (scenario 'ok')`);
}
