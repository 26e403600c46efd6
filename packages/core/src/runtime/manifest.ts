/**
 * models/manifest.json: what the runtime loads and how to feed it. Written by
 * tools/models/build-manifest.ts from models/meta/*.json + the files' sha256/bytes.
 */
import '../zod-jitless.ts'; // first: before any schema is built
import { z } from 'zod';
import { PlateLensError } from '../errors.ts';

const ModelEntrySchema = z.object({
  name: z.string(),
  file: z.string(),
  task: z.string(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  bytes: z.number().int().positive(),
  licence: z.string(),
  source: z.record(z.string(), z.unknown()),
  input: z.record(z.string(), z.unknown()),
  output: z.record(z.string(), z.unknown()),
  decode: z.record(z.string(), z.unknown()).optional(),
  metrics: z.record(z.string(), z.unknown()).optional(),
});
export type ModelEntry = z.infer<typeof ModelEntrySchema>;

export const ManifestSchema = z.object({
  version: z.literal(1),
  models: z.array(ModelEntrySchema),
});
export type Manifest = z.infer<typeof ManifestSchema>;

/**
 * Manifest text → Manifest, or a typed 500 MODEL_MANIFEST_INVALID naming the URL and
 * what came back instead (an HTML page, other JSON, another version).
 */
export function parseManifest(text: string, url: string): Manifest {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    const head = text.trimStart();
    const what = /^<(!doctype|html|head|body|\?xml)/i.test(head)
      ? 'an HTML page, not JSON (is modelBaseUrl right? servers often answer unknown paths with index.html)'
      : `not JSON (it starts ${JSON.stringify(head.slice(0, 40))})`;
    throw new PlateLensError(500, 'MODEL_MANIFEST_INVALID', `Model manifest ${url} is ${what}`);
  }
  const r = ManifestSchema.safeParse(json);
  if (r.success) return r.data;
  const version = (json as { version?: unknown } | null)?.version;
  if (json && typeof json === 'object' && version !== 1) {
    throw new PlateLensError(
      500,
      'MODEL_MANIFEST_INVALID',
      `Model manifest ${url} has version ${JSON.stringify(version) ?? 'none'}; this PlateLens reads version 1`,
    );
  }
  const i = r.error.issues[0];
  throw new PlateLensError(
    500,
    'MODEL_MANIFEST_INVALID',
    `Model manifest ${url} is not a PlateLens manifest (${i?.path.join('.') || '(root)'}: ${i?.message})`,
  );
}

export function findModel(manifest: Manifest, name: string): ModelEntry | undefined {
  return manifest.models.find((m) => m.name === name);
}

/** Which models each task needs (loaded once, shared by tasks). */
export const TASK_MODELS = {
  vin: ['text-det', 'vin-reader', 'text-rec'],
  plate: ['plate-detector', 'plate-reader'],
} as const;
export type Task = keyof typeof TASK_MODELS;
