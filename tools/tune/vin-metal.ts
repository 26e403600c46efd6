/**
 * A quick dev check for VINs on metal (not a test, not the benchmark): exact VIN through the
 * whole pipeline on generated dot-peened and stamped scenes of seeds neither the tests (1–50),
 * the calibration (5000–5199) nor `pnpm bench:accuracy vin` (7000+) use — 20000+ dot-peened,
 * 21000+ stamped. ~20 s; used to compare VIN reader checkpoints (models/training/vin_reader)
 * before running the benchmark. Prints the misses with V=1.
 *
 *   node --import tsx tools/tune/vin-metal.ts [N=40]
 */
import { createRecognizer } from '../../packages/core/src/node.ts';
import { generateVinScene } from '../../packages/core/test/gen/vin-scenes.ts';

const n = Number(process.argv[2] ?? 40);
const rec = await createRecognizer({ tasks: ['vin'] });
for (const [marking, first, count] of [['dot-peened', 20000, n], ['stamped', 21000, Math.ceil(n / 2)]] as const) {
  let ok = 0;
  const misses: string[] = [];
  for (let seed = first; seed < first + count; seed++) {
    const s = generateVinScene(seed, { kind: 'stamped-metal', marking });
    const r = await rec.readVin(s.bytes).catch((e: { status?: number }) => ({ vin: `error ${e.status}` }));
    if (r.vin === s.vin) ok++;
    else misses.push(`  #${seed} ${s.vin} → ${r.vin}`);
  }
  console.log(`${marking}: ${ok} / ${count} exact`);
  if (process.env.V) console.log(misses.join('\n'));
}
await rec.dispose();
