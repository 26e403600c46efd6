import type { RawImage } from '../../packages/core/src/image/raw-image.ts';
import type { Engine } from '../../packages/core/src/runtime/engine.ts';

export type StageTimes = Record<string, number[]>;

/**
 * The VIN pipeline timed stage by stage, for `pnpm bench:stages:vin` in Node and in the harness
 * page (tests/harness/stage-bench.ts): per photo, the decode, each model's summed run time (the
 * engine wrapped) and the whole readVin call; the rest is JavaScript and the barcode reader.
 * Browser-safe: no Node imports.
 */
export async function vinStages(
  ort: Engine,
  coreOf: (e: Engine) => { readVin(img: RawImage): Promise<unknown> },
  photos: Uint8Array[],
  decode: (b: Uint8Array) => Promise<RawImage>,
): Promise<{ times: StageTimes; runs: Record<string, number> }> {
  let current: Record<string, number> = {};
  const counts: Record<string, number> = {};
  const engine: Engine = {
    get backend() {
      return ort.backend;
    },
    run: async (model, feeds) => {
      const t = performance.now();
      try {
        return await ort.run(model, feeds);
      } finally {
        current[model] = (current[model] ?? 0) + performance.now() - t;
        counts[model] = (counts[model] ?? 0) + 1;
      }
    },
    dispose: () => ort.dispose(),
  };
  const core = coreOf(engine);
  const names = ['text-det', 'vin-reader', 'text-rec'];
  const times: StageTimes = { decode: [], ...Object.fromEntries(names.map((n) => [n, []])), 'JS + barcodes': [], readVin: [] };
  for (let rep = 0; rep < 2; rep++) {
    const keep = rep === 1; // the first pass warms up
    if (keep) for (const k of Object.keys(counts)) delete counts[k];
    for (const b of photos) {
      let t = performance.now();
      const img = await decode(b);
      const dec = performance.now() - t;
      current = {};
      t = performance.now();
      await core.readVin(img).catch(() => null);
      const total = performance.now() - t;
      if (!keep) continue;
      times.decode.push(dec);
      for (const n of names) times[n].push(current[n] ?? 0);
      times['JS + barcodes'].push(total - names.reduce((a, n) => a + (current[n] ?? 0), 0));
      times.readVin.push(total);
    }
  }
  await engine.dispose();
  return { times, runs: Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, v / photos.length])) };
}
