/**
 * `pnpm bench:accuracy`: accuracy on data we never train on, through the TypeScript
 * pipeline and the shipped ONNX files (onnxruntime-node):
 *  - VIN: exact-VIN rate per surface on generated scenes, box IoU with the glyphs, region-rule
 *    violations, time with and without a VIN (`vin`, see vinAccuracy);
 *  - plate detection: recall/precision at IoU ≥ 0.5 on plates-openlpr-val and the
 *    plates-romanian valid split (../shared/data, not redistributed);
 *  - plate reading: whole-plate exact match on the held-out US/BR crops (15 %, split by
 *    distinct text: models/training/plate_reader/splits/*-val.txt).
 *  - `plate`: the end-to-end dev benchmark (plate-accuracy.ts): openlpr-val end to end per
 *    country group and plate-width bucket, region accuracy, crop reading on held-out splits.
 * Prints tables and writes bench-results/accuracy.json (+ bench-results/plate-accuracy.json).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { nodeDecoders } from '../../packages/core/src/image/decode-node.ts';
import { createRecognizer } from '../../packages/core/src/node.ts';
import { ManifestSchema, findModel } from '../../packages/core/src/runtime/manifest.ts';
import { createNodeEngine } from '../../packages/core/src/runtime/ort-node.ts';
import { detectorSpec, readerSpec } from '../../packages/core/src/plate/plate-spec.ts';
import { detectPlates, plateModels, readPlates } from '../../packages/core/src/plate/recognize-plate.ts';
import { topReadings } from '../../packages/core/src/plate/candidates.ts';
import { resize } from '../../packages/core/src/image/raw-image.ts';
import { iou } from '../../packages/core/src/plate/nms.ts';
import { generateVinScene, type VinSceneKind } from '../../packages/core/test/gen/vin-scenes.ts';
import { generateVinBarcodeScene } from '../../packages/core/test/gen/vin-barcode-scenes.ts';
import { passesRules } from '../../packages/core/src/vin/regions.ts';
import { median, printTable, ROOT, writeJson } from './common.ts';
import { lineReaderFrom } from '../../packages/core/src/text/line-reader-spec.ts';
import { plateAccuracy } from './plate-accuracy.ts';

const DATA = process.env.PLATELENS_DATA ?? join(ROOT, '..', 'shared', 'data');
const manifest = ManifestSchema.parse(JSON.parse(readFileSync(join(ROOT, 'models/manifest.json'), 'utf8')));
const out: Record<string, unknown> = { date: new Date().toISOString() };
const only = process.argv.slice(2);
const want = (s: string) => only.length === 0 || only.includes(s);

/** Seeds neither the tests (1–50) nor the fast-path calibration (tools/tune, 5000–5199) use. */
const VIN_FIRST_SEED = Number(process.env.VIN_FIRST_SEED ?? 7000);
/** Barcode stickers on their own seeds. */
const VIN_BARCODE_FIRST_SEED = Number(process.env.VIN_BARCODE_FIRST_SEED ?? 8000);
/** No-VIN photos (the 404 path) on their own seeds. */
const NO_VIN_FIRST_SEED = Number(process.env.NO_VIN_FIRST_SEED ?? 9000);

/** Surfaces the VIN benchmark cycles through (one scene each in turn). */
const VIN_BENCH_CYCLE: readonly { kind: VinSceneKind; marking?: 'stamped' | 'dot-peened' }[] = [
  { kind: 'door-sticker' },
  { kind: 'windshield-plate' },
  { kind: 'document' },
  { kind: 'stamped-metal', marking: 'stamped' },
  { kind: 'stamped-metal', marking: 'dot-peened' },
  { kind: 'rotated-sticker' },
];

const pct = (a: number, b: number) => (b ? `${((100 * a) / b).toFixed(1)} %` : '–');

/**
 * `pnpm bench:accuracy vin`: exact VIN per surface on generated scenes (VIN_N, default 300,
 * plus VIN_BARCODE_N barcode stickers, default 60),
 * the share of correct reads whose box has IoU ≥ 0.5 with the 17 glyphs' box, outputs or
 * candidates that break their WMI's region rules (must be 0), and time per scene against
 * photos without a VIN (VIN_NOVIN_N, default 30).
 */
async function vinAccuracy() {
  const n = Number(process.env.VIN_N ?? 300);
  const nNoVin = Number(process.env.VIN_NOVIN_N ?? 30);
  const rec = await createRecognizer({ tasks: ['vin'] });
  type Row = { ok: number; n: number; wrong: number; boxOk: number; ms: number[]; violations: number; ious: number[] };
  const bySurface = new Map<string, Row>();
  const misses: string[] = [];
  const violations: string[] = [];
  const nBarcode = Number(process.env.VIN_BARCODE_N ?? 60);
  const scenes = async function* () {
    for (let i = 0; i < n; i++) {
      const c = VIN_BENCH_CYCLE[i % VIN_BENCH_CYCLE.length];
      yield { s: generateVinScene(VIN_FIRST_SEED + i, { kind: c.kind, marking: c.marking }), surface: '' };
    }
    // door stickers with a real VIN barcode (Code 39 / DataMatrix / QR); every other one
    // carries the VIN only in the barcode
    for (let i = 0; i < nBarcode; i++) {
      const s = await generateVinBarcodeScene(VIN_BARCODE_FIRST_SEED + i, { textless: i % 2 === 1 });
      yield { s, surface: i % 2 === 1 ? `barcode only (${s.symbology})` : 'barcode + text' };
    }
  };
  for await (const { s, surface } of scenes()) {
    const t = performance.now();
    const r = await rec.readVin(s.bytes).catch((e) => ({ vin: `error ${e.status}`, box: null, candidates: [] as { vin: string }[] }));
    const ms = performance.now() - t;
    const key = surface || s.surface;
    const k = bySurface.get(key) ?? { ok: 0, n: 0, wrong: 0, boxOk: 0, ms: [], violations: 0, ious: [] };
    k.n++;
    k.ms.push(ms);
    for (const v of new Set([...(r.box ? [r.vin] : []), ...r.candidates.map((x) => x.vin)])) {
      if (!passesRules(v)) {
        k.violations++;
        violations.push(`${key}#${s.seed}: ${v}`);
      }
    }
    if (r.vin === s.vin) {
      k.ok++;
      // a barcode read answers with the barcode's own box: right too on a barcode sticker
      const o = r.box ? Math.max(iou(r.box, s.box), s.barcodeBox ? iou(r.box, s.barcodeBox) : 0) : 0;
      k.ious.push(o);
      if (o >= 0.5) k.boxOk++;
      else misses.push(`${key}#${s.seed}: box IoU ${o.toFixed(2)} ${JSON.stringify(r.box)} vs ${JSON.stringify(s.box)}`);
    } else {
      // answered with another VIN (not a 404): what a user cannot tell from a right answer
      if (r.box) k.wrong++;
      misses.push(`${key}#${s.seed}: ${s.vin} → ${r.vin}`);
    }
    bySurface.set(key, k);
  }
  const noVinMs: number[] = [];
  let noVinAnswered = 0;
  for (let i = 0; i < nNoVin; i++) {
    const c = VIN_BENCH_CYCLE[i % VIN_BENCH_CYCLE.length];
    const s = generateVinScene(NO_VIN_FIRST_SEED + i, { kind: c.kind, marking: c.marking, withoutVin: true });
    const t = performance.now();
    const r = await rec.readVin(s.bytes).catch(() => null);
    noVinMs.push(performance.now() - t);
    if (r) {
      noVinAnswered++;
      misses.push(`no-vin ${s.surface}#${s.seed}: answered ${r.vin}`);
    }
  }
  await rec.dispose();
  const all = [...bySurface.values()];
  const sum = (f: (k: Row) => number) => all.reduce((a, k) => a + f(k), 0);
  const rows = [...bySurface.entries()].map(([surface, k]) => ({
    surface,
    n: k.n,
    exact: pct(k.ok, k.n),
    'wrong answers': pct(k.wrong, k.n),
    'box IoU≥0.5 (of exact)': pct(k.boxOk, k.ok),
    'median IoU': k.ious.length ? median(k.ious).toFixed(2) : '–',
    'rule violations': k.violations,
    median_ms: median(k.ms),
  }));
  const vinMs = all.flatMap((k) => k.ms);
  rows.push({
    surface: 'all',
    n: n + nBarcode,
    exact: pct(sum((k) => k.ok), n + nBarcode),
    'wrong answers': pct(sum((k) => k.wrong), n + nBarcode),
    'box IoU≥0.5 (of exact)': pct(sum((k) => k.boxOk), sum((k) => k.ok)),
    'median IoU': median(all.flatMap((k) => k.ious)).toFixed(2),
    'rule violations': sum((k) => k.violations),
    median_ms: median(vinMs),
  });
  printTable(`VIN OCR — generated scenes (seeds ${VIN_FIRST_SEED}+), exact VIN per surface`, rows);
  const speed = [
    { scenes: `with a VIN (${n + nBarcode})`, median_ms: median(vinMs), p90_ms: percentile(vinMs, 0.9) },
    { scenes: `without a VIN (${nNoVin}, seeds ${NO_VIN_FIRST_SEED}+)`, median_ms: median(noVinMs), p90_ms: percentile(noVinMs, 0.9) },
  ];
  printTable(`Time per scene, Node (404 answered ${nNoVin - noVinAnswered}/${nNoVin} without a VIN; ratio ${(median(noVinMs) / median(vinMs)).toFixed(2)}×)`, speed);
  if (misses.length) console.log('misses:\n  ' + misses.slice(0, 40).join('\n  '));
  if (violations.length) console.log('RULE VIOLATIONS:\n  ' + violations.join('\n  '));
  out.vin = {
    rows,
    speed,
    exact_rate: sum((k) => k.ok) / (n + nBarcode),
    wrong_answer_rate: sum((k) => k.wrong) / (n + nBarcode),
    box_iou_share: sum((k) => k.boxOk) / Math.max(1, sum((k) => k.ok)),
    rule_violations: violations,
    no_vin_answered: noVinAnswered,
    misses,
  };
}

function percentile(a: readonly number[], q: number): number {
  const s = [...a].sort((x, y) => x - y);
  return s.length ? Math.round(s[Math.min(s.length - 1, Math.floor(q * s.length))] * 10) / 10 : NaN;
}

function readTsv(path: string): Record<string, string>[] {
  const [head, ...lines] = readFileSync(path, 'utf8').trim().split('\n');
  const cols = head.split('\t');
  return lines.map((l) => Object.fromEntries(l.split('\t').map((v, i) => [cols[i], v])));
}

async function plateEngine() {
  const det = findModel(manifest, 'plate-detector');
  const rd = findModel(manifest, 'plate-reader');
  if (!det || !rd) return null;
  const load = (f: string) => new Uint8Array(readFileSync(join(ROOT, 'models', f)));
  // the general recogniser too, as the default recognizer loads it: it reads state names on plates
  const words = findModel(manifest, 'text-rec');
  const engine = await createNodeEngine(
    [
      { name: 'plate-detector', bytes: load(det.file) },
      { name: 'plate-reader', bytes: load(rd.file) },
      ...(words ? [{ name: words.name, bytes: load(words.file) }] : []),
    ],
    2,
  );
  return { engine, models: { ...plateModels(detectorSpec(det), readerSpec(rd)), ...(words ? { words: lineReaderFrom(words) } : {}) } };
}

async function detection(pe: NonNullable<Awaited<ReturnType<typeof plateEngine>>>) {
  const dec = await nodeDecoders();
  const sets = [
    { name: 'openlpr-val', dir: 'plates-openlpr-val', filter: () => true },
    { name: 'romanian-valid', dir: 'plates-romanian', filter: (r: Record<string, string>) => r.split === 'valid' },
  ];
  const rows = [];
  for (const mode of ['default', 'fast'] as const) {
    for (const set of sets) {
      const tsv = join(DATA, set.dir, 'boxes.tsv');
      if (!existsSync(tsv)) continue;
      const gt = new Map<string, { xmin: number; ymin: number; xmax: number; ymax: number }[]>();
      for (const r of readTsv(tsv).filter(set.filter)) {
        const b = { xmin: +r.x, ymin: +r.y, xmax: +r.x + +r.w, ymax: +r.y + +r.h };
        gt.set(r.image, [...(gt.get(r.image) ?? []), b]);
      }
      let tp = 0, fp = 0, nGt = 0;
      const ms: number[] = [];
      for (const [image, boxes] of gt) {
        // with the detector-size preview, as the Node recognizer decodes for plates
        const img = await dec.decodeBytes(new Uint8Array(readFileSync(join(DATA, set.dir, 'images', image))), undefined, undefined, {
          previewSide: pe.models.detector.input.size,
        });
        const t = performance.now();
        // the detector's own boxes (weak ones need the reader's verification: plate-accuracy.ts counts those)
        const dets = (await detectPlates(pe.engine, pe.models, img, { mode })).filter((d) => !d.weak);
        ms.push(performance.now() - t);
        nGt += boxes.length;
        const used = new Set<number>();
        for (const d of dets) {
          const j = boxes.findIndex((b, k) => !used.has(k) && iou(b, d.box) >= 0.5);
          if (j >= 0) {
            used.add(j);
            tp++;
          } else fp++;
        }
      }
      rows.push({
        set: set.name,
        mode,
        images: gt.size,
        plates: nGt,
        recall: `${((100 * tp) / nGt).toFixed(1)} %`,
        precision: `${((100 * tp) / Math.max(1, tp + fp)).toFixed(1)} %`,
        median_ms: median(ms),
      });
    }
  }
  printTable('Plate detection — IoU ≥ 0.5 at the manifest threshold (not trained on)', rows);
  out.detection = rows;
}

async function reading(pe: NonNullable<Awaited<ReturnType<typeof plateEngine>>>) {
  const dec = await nodeDecoders();
  const r = pe.models.reader.input;
  const rows = [];
  for (const [name, dir] of [
    ['us', 'plates-openalpr-us-crops'],
    ['br', 'plates-openalpr-br-crops'],
  ]) {
    const split = join(ROOT, 'models/training/plate_reader/splits', `${name}-val.txt`);
    if (!existsSync(split)) continue;
    const items = readFileSync(split, 'utf8')
      .split('\n')
      .filter((l) => l && !l.startsWith('#'))
      .map((l) => l.split('\t'));
    let ok = 0, top5 = 0;
    const misses: string[] = [];
    for (const [file, text] of items) {
      const img = await dec.decodeBytes(new Uint8Array(readFileSync(join(DATA, dir, 'images', file))));
      const [res] = await readPlates(pe.engine, pe.models, [resize(img, r.width, r.height)]);
      const cands = topReadings(res.chars, 5).map((c) => c.text);
      if (cands[0] === text) ok++;
      else misses.push(`${file}: ${text} → ${cands[0]}`);
      if (cands.includes(text)) top5++;
    }
    rows.push({ set: `${name} held-out crops`, n: items.length, exact: `${((100 * ok) / items.length).toFixed(1)} %`, top5: `${((100 * top5) / items.length).toFixed(1)} %` });
    (out as Record<string, unknown>)[`reading_${name}_misses`] = misses;
  }
  printTable('Plate reading — whole-plate exact on held-out crops (split by distinct text)', rows);
  out.reading = rows;
}

if (want('vin')) await vinAccuracy();
const pe = want('detection') || want('reading') || want('plate') ? await plateEngine() : null;
if (pe) {
  if (want('detection')) await detection(pe);
  if (want('reading')) await reading(pe);
  if (want('plate')) out.plate = await plateAccuracy(pe.engine, pe.models, DATA);
  await pe.engine.dispose();
} else if (want('detection') || want('reading') || want('plate')) console.log('\nplate models are not in models/manifest.json: plate rows skipped');
console.log(`\nwrote ${writeJson('accuracy.json', out)}`);
