/** Public options, parsed once with zod at the API boundary (before anything reaches the worker). */
import './zod-jitless.ts'; // first: before any schema is built
import { z } from 'zod';
import { errors } from './errors.ts';

export const CreateOptionsSchema = z.object({
  backend: z.enum(['auto', 'webgpu', 'wasm']).default('auto'),
  /** Where models/manifest.json and the .onnx files are served (browser) or stored (Node). */
  modelBaseUrl: z.string().optional(),
  /** Which capabilities to load models for; default: every task the manifest has models for. */
  tasks: z.array(z.enum(['vin', 'plate'])).min(1).optional(),
  /** Inference threads (WASM: needs cross-origin isolation for > 1). */
  numThreads: z.number().int().min(1).max(16).optional(),
  /** Where onnxruntime-web's .wasm files are served from, when not bundled with the worker. */
  wasmPaths: z.string().optional(),
  /** URL inputs: one deadline for the whole fetch, redirects and body included. Default 15 000. */
  urlTimeoutMs: z.number().int().min(1).max(600_000).optional(),
  /** URL inputs: body cap in bytes, counted after gzip/br decoding. Default 32 MiB. */
  maxUrlBytes: z.number().int().min(1).max(1 << 30).optional(),
  /** Images with more pixels are decoded downscaled to about this many. Default 16 MP. */
  maxDecodePixels: z.number().int().min(65_536).max(50_000_000).optional(),
  /** Model loading: each file's download deadline (ms). Default 120 000. */
  modelFileTimeoutMs: z.number().int().min(1).max(3_600_000).optional(),
  /** Model loading: deadline for the manifest and every file together (ms). Default 300 000. */
  modelTimeoutMs: z.number().int().min(1).max(3_600_000).optional(),
  /** Browser: keep verified models in Cache Storage ('platelens-models') for the next visit. Default true. */
  useBrowserCache: z.boolean().optional(),
});
export type CreateOptions = z.input<typeof CreateOptionsSchema>;
export type ResolvedCreateOptions = z.output<typeof CreateOptionsSchema>;

export const VinCallOptionsSchema = z.object({
  /** Longer side of the text detector input: larger finds smaller text, costs more. */
  detectorSize: z.number().int().min(320).max(2048).multipleOf(32).optional(),
  maxCandidates: z.number().int().min(1).max(20).optional(),
  /**
   * VIN region rules, like Plate Recognizer's VIN ID: 'us' | 'ca' | 'mx' (check digit, 9th digit
   * or X, model-year code, last 4 digits), 'eu' or an EU member's code but 'de', and 'tr' (9th digit
   * or X, last 4 digits), 'de' (17 characters), 'cn' (check digit); any other code: 17 characters.
   * A reading passes when it meets one of them. Default: the rules its own WMI implies.
   */
  regions: z.array(z.string().regex(/^[a-zA-Z]{2}$/, 'must be a two-letter region code').transform((s) => s.toLowerCase())).min(1).optional(),
  /** When nothing passes the rules, answer the best rule-breaking reading (confidence halved) instead of 404. */
  allowRuleBreaking: z.boolean().optional(),
  /** VIN barcodes (Code 39, DataMatrix, QR): 'auto' (default) unless OCR's answer is conclusive, 'always', 'off'. */
  barcodes: z.enum(['auto', 'always', 'off']).optional(),
});
export type VinCallOptions = z.input<typeof VinCallOptionsSchema>;

export const PlateCallOptionsSchema = z.object({
  /** Region hints (e.g. ['us-ca', 'br', 'eu']): re-rank readings by those formats. */
  regions: z.array(z.string().min(2)).optional(),
  thresholdDetection: z.number().min(0).max(1).optional(),
  thresholdOcr: z.number().min(0).max(1).optional(),
  /** 'fast' runs one smaller detector pass. */
  mode: z.enum(['default', 'fast']).optional(),
  /** Regexes (strings) the reading must match, e.g. '^[a-z]{3}[0-9]{4}$'. */
  textFormats: z
    .array(
      z.string().refine((s) => {
        try {
          new RegExp(s);
          return true;
        } catch {
          return false;
        }
      }, 'must be a valid regular expression'),
    )
    .optional(),
  maxCandidates: z.number().int().min(1).max(20).optional(),
});
export type PlateCallOptions = z.input<typeof PlateCallOptionsSchema>;

/** zod parse → typed 400 INVALID_OPTIONS naming the offending field. */
export function parseOptions<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const r = schema.safeParse(value ?? {});
  if (!r.success) {
    const i = r.error.issues[0];
    throw errors.invalidOptions(`${i.path.join('.') || '(root)'}: ${i.message}`);
  }
  return r.data;
}
