/** Build a `LineReader` (how to feed and decode a CTC line recogniser) from its manifest entry. */
import { z } from 'zod';
import type { ModelEntry } from '../runtime/manifest.ts';
import { buildFolding } from './ctc.ts';
import { foldToVinSymbols, type LineReader } from './recognize-text.ts';

const Spec = z.object({
  name: z.string(),
  input: z.object({
    name: z.string().default('x'),
    height: z.number().int(),
    maxWidth: z.number().int().default(960),
    colorOrder: z.enum(['RGB', 'BGR']),
    scale: z.number().default(255),
    mean: z.tuple([z.number(), z.number(), z.number()]),
    std: z.tuple([z.number(), z.number(), z.number()]),
  }),
  output: z.union([
    // class i+1 = alphabet[i], 0 = blank
    z.object({ alphabet: z.string() }),
    // explicit class table (PP-OCR: a subset of its dictionary), missing indices are dropped
    z.object({ numClasses: z.number().int(), classes: z.record(z.string(), z.string()) }),
  ]),
});

export function lineReaderFrom(entry: ModelEntry, batchSize = 8): LineReader {
  const s = Spec.parse(entry);
  const classes =
    'alphabet' in s.output
      ? ['', ...s.output.alphabet]
      : Array.from({ length: s.output.numClasses }, (_, i) => (i === 0 ? '' : ((s.output as { classes: Record<string, string> }).classes[String(i)] ?? '')));
  return {
    model: s.name,
    inputName: s.input.name,
    height: s.input.height,
    maxWidth: s.input.maxWidth,
    spec: { colorOrder: s.input.colorOrder, scale: s.input.scale, mean: s.input.mean, std: s.input.std },
    folding: buildFolding(classes, (c) => (c === '' ? null : foldToVinSymbols(c))),
    batchSize,
  };
}
