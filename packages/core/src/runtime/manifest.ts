/**
 * models/manifest.json: what the runtime loads and how to feed it. Written by
 * tools/models/build-manifest.ts from models/meta/*.json + the files' sha256/bytes.
 */
import { z } from 'zod';

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

export function findModel(manifest: Manifest, name: string): ModelEntry | undefined {
  return manifest.models.find((m) => m.name === name);
}

/** Which models each task needs (loaded once, shared by tasks). */
export const TASK_MODELS = {
  vin: ['text-det', 'vin-reader', 'text-rec'],
  plate: ['plate-detector', 'plate-reader'],
} as const;
export type Task = keyof typeof TASK_MODELS;
