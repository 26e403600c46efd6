/** How to feed and decode the plate models, read from their manifest entries (written by the recipes). */
import { z } from 'zod';
import type { ModelEntry } from '../runtime/manifest.ts';

const DetectorSpec = z.object({
  input: z.object({
    name: z.string().default('x'),
    size: z.number().int(),
    fastSize: z.number().int().optional(),
    pad: z.number().default(114),
  }),
  output: z.object({ heat: z.string().default('heat'), ltrb: z.string().default('ltrb'), stride: z.number().int() }),
  decode: z
    .object({ peakKernel: z.number().int().default(3), scoreThreshold: z.number().default(0.3), nmsIou: z.number().default(0.45) })
    .default({ peakKernel: 3, scoreThreshold: 0.3, nmsIou: 0.45 }),
});

const ReaderSpec = z.object({
  input: z.object({
    name: z.string().default('x'),
    height: z.number().int(),
    width: z.number().int(),
    mean: z.tuple([z.number(), z.number(), z.number()]).default([0.5, 0.5, 0.5]),
    std: z.tuple([z.number(), z.number(), z.number()]).default([0.5, 0.5, 0.5]),
    scale: z.number().default(255),
    colorOrder: z.enum(['RGB', 'BGR']).default('RGB'),
    /** Margin around the detected box, fractions of its width and height (as trained). */
    margin: z.tuple([z.number(), z.number()]).default([0.06, 0.12]),
    /** Two-row plates: how far past the middle each half reaches (plate-crop.ts). */
    rowOverlap: z.number().default(0.06),
  }),
  output: z.object({
    name: z.string().default('probs'),
    alphabet: z.string(),
    blank: z.literal(0).default(0),
    /** A second output of the same graph: the plate's country from its look, one probability per class. */
    region: z.object({ name: z.string(), classes: z.array(z.string()).min(2) }).optional(),
  }),
});

export type DetectorSpec = z.infer<typeof DetectorSpec>;
export type ReaderSpec = z.infer<typeof ReaderSpec>;

export function detectorSpec(e: ModelEntry): DetectorSpec {
  return DetectorSpec.parse(e);
}

export function readerSpec(e: ModelEntry): ReaderSpec {
  return ReaderSpec.parse(e);
}
