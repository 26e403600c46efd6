/**
 * Choose the format prior's constants (formats.ts PriorParams) on TRAINING data, never on
 * the dev/val sets the accuracy bench reports:
 *   node --import tsx tools/bench/tune-formats.ts cache   # read every training plate once
 *   node --import tsx tools/bench/tune-formats.ts         # grid over the cached reader output
 * Training plates: plates-openlpr-train (clear rows, the true box read like a detection) and
 * the crop sets' training side of the recipe's split (val ⇔ sha1(key) % 100 < 15 left out):
 * eu (by group), eu2, ar (by text), qanastek `train`. US/BR crops are left out: the shipped
 * reader was trained on them, so they say nothing about its errors. Re-run both steps after
 * the reader changes: the constants depend on how its probabilities are calibrated.
 * Metric: the mean over sources (openlpr-train per country group) of whole-plate exact.
 *   node --import tsx tools/bench/tune-formats.ts region  # colour-mark factors of the region decision
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { nodeDecoders } from '../../packages/core/src/image/decode-node.ts';
import { ManifestSchema, findModel } from '../../packages/core/src/runtime/manifest.ts';
import { createNodeEngine } from '../../packages/core/src/runtime/ort-node.ts';
import { detectorSpec, readerSpec } from '../../packages/core/src/plate/plate-spec.ts';
import { plateModels, readPlateBoxes } from '../../packages/core/src/plate/recognize-plate.ts';
import { topReadings } from '../../packages/core/src/plate/candidates.ts';
import { DEFAULT_PRIOR, rankReadings, type PriorParams } from '../../packages/core/src/plate/formats.ts';
import type { CtcChar } from '../../packages/core/src/text/ctc.ts';
import { colourMarks, DEFAULT_COLOUR, inferRegion, type ColourMarks, type ColourParams } from '../../packages/core/src/plate/regions.ts';
import { printTable, ROOT, writeJson } from './common.ts';
import { countryGroup, regionNames } from './plate-accuracy.ts';

const DATA = process.env.PLATELENS_DATA ?? join(ROOT, '..', 'shared', 'data');
const CACHE = join(ROOT, 'bench-results', 'format-tune-chars.json');

type Row = Record<string, string>;
const readTsv = (path: string): Row[] => {
  const [head, ...lines] = readFileSync(path, 'utf8').trim().split('\n');
  const cols = head.split('\t');
  return lines.map((l) => Object.fromEntries(l.split('\t').map((v, i) => [cols[i], v])));
};
const isVal = (key: string) => BigInt('0x' + createHash('sha1').update(key, 'utf8').digest('hex')) % 100n < 15n;
const clean = (t: string) => t.toUpperCase().replace(/[^A-Z0-9]/g, '');

interface Item {
  source: string;
  text: string;
  chars: CtcChar[];
  /** Country column where the set has one (openlpr: ISO code; crop sets: their country). */
  country?: string;
  /** Absent in caches written before marks were stored; null for grey-scale crops. */
  marks?: ColourMarks | null;
}

async function cache() {
  const manifest = ManifestSchema.parse(JSON.parse(readFileSync(join(ROOT, 'models/manifest.json'), 'utf8')));
  const det = findModel(manifest, 'plate-detector')!, rd = findModel(manifest, 'plate-reader')!;
  const load = (f: string) => new Uint8Array(readFileSync(join(ROOT, 'models', f)));
  const engine = await createNodeEngine([{ name: 'plate-detector', bytes: load(det.file) }, { name: 'plate-reader', bytes: load(rd.file) }], 2);
  const m = plateModels(detectorSpec(det), readerSpec(rd));
  const dec = await nodeDecoders();
  const items: Item[] = [];
  const read = async (source: string, path: string, text: string, box?: { xmin: number; ymin: number; xmax: number; ymax: number }, country?: string) => {
    if (!existsSync(path)) return;
    const img = await dec.decodeBytes(new Uint8Array(readFileSync(path)));
    const [r] = await readPlateBoxes(engine, m, img, [box ?? { xmin: 0, ymin: 0, xmax: img.width, ymax: img.height }]);
    const chars = r.chars.map((c) => ({ ...c, prob: +c.prob.toFixed(4), alts: c.alts.map((a) => ({ char: a.char, prob: +a.prob.toFixed(4) })) }));
    items.push({ source, text, chars, country: country?.toLowerCase(), marks: colourMarks(r.crop) });
  };
  const tr = join(DATA, 'plates-openlpr-train');
  for (const r of readTsv(join(tr, 'texts.tsv'))) {
    if (r.legibility !== 'clear' || !r.text || r.text === '-') continue;
    const box = { xmin: +r.x, ymin: +r.y, xmax: +r.x + +r.w, ymax: +r.y + +r.h };
    await read(`openlpr-${countryGroup(r.country)}`, join(tr, 'images', r.image), clean(r.text), box, r.country);
  }
  for (const r of readTsv(join(DATA, 'plates-openalpr-eu-crops', 'labels.tsv'))) {
    if (r.legibility === 'clear' && !isVal(r.group)) await read('eu', join(DATA, 'plates-openalpr-eu-crops', 'images', r.image), clean(r.plate), undefined, r.country);
  }
  for (const [name, dir] of [['eu2', 'plates-openalpr-eu2-crops'], ['ar', 'plates-ar-fastplateocr-crops']]) {
    for (const r of readTsv(join(DATA, dir, 'labels.tsv'))) if (!isVal(clean(r.plate))) await read(name, join(DATA, dir, 'images', r.image), clean(r.plate), undefined, r.country);
  }
  for (const r of readTsv(join(DATA, 'plates-fr-qanastek', 'crops.tsv'))) {
    if (r.split !== 'train') continue;
    const box = { xmin: +r.plate_x, ymin: +r.plate_y, xmax: +r.plate_x + +r.plate_w, ymax: +r.plate_y + +r.plate_h };
    await read('fr', join(DATA, 'plates-fr-qanastek', 'crops', r.image), clean(r.plate), box, 'fr');
  }
  await engine.dispose();
  writeFileSync(CACHE, JSON.stringify(items));
  console.log(`cached ${items.length} training plates → ${CACHE}`);
}

function evaluate(items: Item[], params: PriorParams | null) {
  const by = new Map<string, { ok: number; n: number }>();
  for (const it of items) {
    const readings = topReadings(it.chars, 10);
    const best = params ? rankReadings(readings, it.chars, undefined, params)[0]?.text : readings[0]?.text;
    const s = by.get(it.source) ?? { ok: 0, n: 0 };
    s.n++;
    if (best === it.text) s.ok++;
    by.set(it.source, s);
  }
  const per = Object.fromEntries([...by.entries()].sort().map(([k, s]) => [k, s.ok / s.n]));
  const mean = Object.values(per).reduce((a, b) => a + b, 0) / Object.keys(per).length;
  return { mean, per };
}

function grid() {
  const items: Item[] = JSON.parse(readFileSync(CACHE, 'utf8'));
  const rows: Record<string, string | number>[] = [];
  const fmt = (r: ReturnType<typeof evaluate>) => Object.fromEntries(Object.entries(r.per).map(([k, v]) => [k, `${(100 * v).toFixed(1)}`]));
  const none = evaluate(items, null);
  rows.push({ gain: '-', conf: '-', residual: '-', drop: '-', inner: '-', mean: (100 * none.mean).toFixed(2), ...fmt(none) });
  const results: { p: PriorParams; r: ReturnType<typeof evaluate> }[] = [];
  for (const gain of [1, 1.5, 2]) {
    for (const confusionProb of [0.03, 0.05]) {
      for (const innerDropPenalty of [0, 0.5, 0.9]) {
        const p = { gain, confusionProb, residual: 1, dropPenalty: 0.9, innerDropPenalty };
        results.push({ p, r: evaluate(items, p) });
      }
    }
  }
  results.sort((a, b) => b.r.mean - a.r.mean);
  for (const { p, r } of results.slice(0, 12)) rows.push({ gain: String(p.gain), conf: String(p.confusionProb), residual: String(p.residual), drop: String(p.dropPenalty), inner: String(p.innerDropPenalty), mean: (100 * r.mean).toFixed(2), ...fmt(r) });
  const d = evaluate(items, DEFAULT_PRIOR);
  rows.push({ gain: `default ${DEFAULT_PRIOR.gain}`, conf: String(DEFAULT_PRIOR.confusionProb), residual: String(DEFAULT_PRIOR.residual), drop: String(DEFAULT_PRIOR.dropPenalty), inner: String(DEFAULT_PRIOR.innerDropPenalty), mean: (100 * d.mean).toFixed(2), ...fmt(d) });
  printTable(`Format prior on training plates (${items.length}): exact % per source, best grid points first ('-' = no prior)`, rows);
  writeJson('format-tune.json', { n: items.length, rows });
}

/** Region decision alone: the TRUE text and the crop's colour marks, against the country column. */
function regionGrid() {
  const items: Item[] = (JSON.parse(readFileSync(CACHE, 'utf8')) as Item[]).filter((it) => it.country && it.country !== '?' && it.marks !== undefined);
  const score = (c: ColourParams) => {
    const by = new Map<string, { ok: number; n: number }>();
    for (const it of items) {
      const key = it.source.startsWith('openlpr') ? it.source : `${it.source}`;
      const s = by.get(key) ?? { ok: 0, n: 0 };
      s.n++;
      if (regionNames(inferRegion(it.text, it.marks ?? null, undefined, undefined, c)?.code, it.country!)) s.ok++;
      by.set(key, s);
    }
    const per = Object.fromEntries([...by.entries()].sort().map(([k, s]) => [k, s.ok / s.n]));
    return { mean: Object.values(per).reduce((a, b) => a + b, 0) / by.size, per };
  };
  const results: { c: ColourParams; r: ReturnType<typeof score> }[] = [];
  for (const bandSeen of [2, 3, 5]) for (const bandMissed of [0.3, 0.5, 0.8]) for (const otherWhenBand of [0.2, 0.3, 0.6]) {
    const c = { ...DEFAULT_COLOUR, bandSeen, bandMissed, otherWhenBand };
    results.push({ c, r: score(c) });
  }
  results.sort((a, b) => b.r.mean - a.r.mean);
  const fmt = (r: ReturnType<typeof score>) => Object.fromEntries(Object.entries(r.per).map(([k, v]) => [k, `${(100 * v).toFixed(1)}`]));
  const rows: Record<string, string | number>[] = results.slice(0, 8).map(({ c, r }) => ({ seen: String(c.bandSeen), missed: String(c.bandMissed), other: String(c.otherWhenBand), mean: (100 * r.mean).toFixed(2), ...fmt(r) }));
  const d = score(DEFAULT_COLOUR);
  rows.push({ seen: `default ${DEFAULT_COLOUR.bandSeen}`, missed: String(DEFAULT_COLOUR.bandMissed), other: String(DEFAULT_COLOUR.otherWhenBand), mean: (100 * d.mean).toFixed(2), ...fmt(d) });
  const none = score({ bandSeen: 1, bandMissed: 1, optionalSeen: 1, otherWhenBand: 1 });
  rows.push({ seen: 'no colour', missed: '-', other: '-', mean: (100 * none.mean).toFixed(2), ...fmt(none) });
  printTable(`Region from the true text + colour marks on training plates (${items.length}), % right per source`, rows);
}

if (process.argv[2] === 'cache') await cache();
else if (process.argv[2] === 'region') regionGrid();
else grid();
