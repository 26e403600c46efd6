/**
 * `pnpm bench:accuracy plate`: the plate dev benchmark (issue 11), through the same
 * TypeScript pipeline and ONNX files the product runs.
 *  - End to end on plates-openlpr-val (`clear` rows, Latin script): a plate counts when the
 *    result box with the highest IoU (≥ 0.5) with the true box reads the text exactly; top-5 =
 *    the text is among that result's candidates. Per country group and per plate-width bucket
 *    (with detection recall at IoU ≥ 0.5 and the share of boxes at IoU ≥ 0.7); detection
 *    precision over every boxed plate of the set.
 *  - Region: the found plate's region against the set's country column (us ⊇ 'us-*').
 *  - Crop reading on held-out splits (the training recipe's rule, models/training/plate_ocr/data.py):
 *    val ⇔ int(sha1(key),16) % 100 < 15, key = plate text (us, br, eu2, ar) or `group` (eu, clear
 *    rows); qanastek's `test` split. The whole crop is the plate box (qanastek: its plate box).
 * Every table also gives the reader's own top-1 / top-5 without the format prior (formats.ts).
 * Writes bench-results/plate-accuracy.json (and plate-accuracy-$PLATE_BENCH_TAG.json when set).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { nodeDecoders } from '../../packages/core/src/image/decode-node.ts';
import type { RawImage } from '../../packages/core/src/image/raw-image.ts';
import type { Engine } from '../../packages/core/src/runtime/engine.ts';
import type { Box } from '../../packages/core/src/schemas.ts';
import { iou } from '../../packages/core/src/plate/nms.ts';
import { topReadings } from '../../packages/core/src/plate/candidates.ts';
import { decidePlate, detectPlates, readPlateBoxes, recognizePlate, type PlateModels } from '../../packages/core/src/plate/recognize-plate.ts';
import { colourMarks } from '../../packages/core/src/plate/regions.ts';
import { printTable, writeJson } from './common.ts';

type Row = Record<string, string>;

export function readTsv(path: string): Row[] {
  const [head, ...lines] = readFileSync(path, 'utf8').trim().split('\n');
  const cols = head.split('\t');
  return lines.map((l) => Object.fromEntries(l.split('\t').map((v, i) => [cols[i], v])));
}

const isVal = (key: string) => BigInt('0x' + createHash('sha1').update(key, 'utf8').digest('hex')) % 100n < 15n;
export const clean = (t: string) => t.toUpperCase().replace(/[^A-Z0-9]/g, '');
export const pct = (a: number, n: number) => (n ? `${((100 * a) / n).toFixed(1)} %` : '-');

/** Europe other than gb (EU, EFTA, the Balkans, Ukraine, Russia, Belarus); Turkey counts as rest. */
const EUROPE = new Set(
  'at be bg ch cy cz de dk ee es fi fr gr hr hu ie is it li lt lu lv mt nl no pl pt ro se si sk ua ru by rs me ba mk al md xk'.split(' '),
);
export const countryGroup = (c: string) => (c === 'gb' || c === 'pk' || c === 'us' ? c : EUROPE.has(c) ? 'eu-other' : 'rest');

/** Does a returned region code name the country? 'us-ca' names us; 'gb' and 'uk' are one. */
export function regionNames(code: string | undefined, country: string): boolean {
  if (!code) return false;
  const c = code.toLowerCase() === 'uk' ? 'gb' : code.toLowerCase();
  return c === country || c.startsWith(country + '-');
}

const WIDTHS: [string, number, number][] = [
  ['<60', 0, 60],
  ['60-100', 60, 100],
  ['100-160', 100, 160],
  ['160-300', 160, 300],
  ['>300', 300, Infinity],
];

/**
 * Read one given box the way the pipeline reads a detected one (readPlateBoxes: the
 * pipeline's crop(s) and reader), then the pipeline's decision (decidePlate); also the
 * reader's own top-5 without the format prior, to show what the prior changes.
 */
async function readBox(engine: Engine, m: PlateModels, img: RawImage, b: Box, k = 5) {
  const [read] = await readPlateBoxes(engine, m, img, [b]);
  const d = read.chars.length ? decidePlate(read.chars, colourMarks(read.crop), { maxCandidates: k }, undefined, read.looks) : null;
  return { cands: d ? d.ranked.slice(0, k).map((r) => r.text) : [], raw: topReadings(read.chars, k).map((r) => r.text), region: d?.region?.code };
}

interface E2EPlate {
  image: string;
  text: string;
  country: string;
  width: number;
  iou: number;
  plate?: string;
  region?: string;
  candidates: string[];
  /** The reader's own top-5 for the best-overlapping detection, no format prior. */
  raw: string[];
}

async function endToEnd(engine: Engine, m: PlateModels, data: string) {
  const dir = join(data, 'plates-openlpr-val');
  const tsv = join(dir, 'texts.tsv');
  if (!existsSync(tsv)) return null;
  const dec = await nodeDecoders();
  const rows = readTsv(tsv);
  const byImage = new Map<string, Row[]>();
  for (const r of rows) byImage.set(r.image, [...(byImage.get(r.image) ?? []), r]);
  const plates: E2EPlate[] = [];
  // the detector alone (its threshold), and what the pipeline answers (weak peaks verified by their reading, the reading floor)
  const detector = { tp: 0, fp: 0 };
  const answered = { tp: 0, fp: 0 };
  const ms: number[] = [];
  for (const [image, gts] of byImage) {
    // decoded as the Node recognizer decodes for plates: with the detector-size preview libvips makes
    const img = await dec.decodeBytes(new Uint8Array(readFileSync(join(dir, 'images', image))), undefined, undefined, { previewSide: m.detector.input.size });
    const boxes = gts.map((r) => ({ xmin: +r.x, ymin: +r.y, xmax: +r.x + +r.w, ymax: +r.y + +r.h }));
    // detection precision / recall over every boxed plate (any legibility)
    const dets = await detectPlates(engine, m, img, {});
    const t = performance.now();
    const res = await recognizePlate(engine, m, img, {}).then((r) => r.results).catch(() => []);
    ms.push(performance.now() - t);
    const match = (found: readonly { box: Box }[], count: { tp: number; fp: number }) => {
      const used = new Set<number>();
      for (const d of found) {
        const j = boxes.findIndex((b, i) => !used.has(i) && iou(b, d.box) >= 0.5);
        if (j >= 0) {
          used.add(j);
          count.tp++;
        } else count.fp++;
      }
    };
    match(dets.filter((d) => !d.weak), detector);
    match(res, answered);
    // ablation: the reader's own best reading of each detected box, no format prior
    const raw = dets.length ? await readPlateBoxes(engine, m, img, dets.map((d) => d.box)) : [];
    gts.forEach((r, i) => {
      if (r.legibility !== 'clear' || !r.text || r.text === '-') return;
      const b = boxes[i];
      let best: (typeof res)[number] | undefined, bestIou = 0;
      for (const x of res) {
        const o = iou(b, x.box);
        if (o > bestIou) [best, bestIou] = [x, o];
      }
      // detection IoU from the detector itself (a box can be found but its reading dropped; a weak one counts once verified)
      const detIou = Math.max(0, ...dets.filter((d) => !d.weak || res.some((x) => iou(x.box, d.box) > 0.9)).map((d) => iou(b, d.box)));
      const hit = best && bestIou >= 0.5 ? best : undefined;
      const di = dets.findIndex((d) => iou(b, d.box) === detIou && detIou >= 0.5);
      const rawTop = di >= 0 && raw[di].chars.length >= 2 ? topReadings(raw[di].chars, 5).map((x) => x.text) : [];
      plates.push({
        image,
        text: clean(r.text),
        country: r.country,
        width: b.xmax - b.xmin,
        iou: Math.round(detIou * 1000) / 1000,
        plate: hit?.plate.toUpperCase(),
        region: hit?.region?.code,
        candidates: hit ? (hit.candidates ?? []).map((c) => c.plate.toUpperCase()) : [],
        raw: rawTop,
      });
    });
  }
  const nBoxes = [...byImage.values()].reduce((a, g) => a + g.length, 0);
  const exact = (p: E2EPlate) => p.plate === p.text;
  const top5 = (p: E2EPlate) => p.candidates.slice(0, 5).includes(p.text);
  const groupRow = (name: string, ps: E2EPlate[]) => ({
    group: name,
    n: ps.length,
    found: pct(ps.filter((p) => p.iou >= 0.5).length, ps.length),
    exact: pct(ps.filter(exact).length, ps.length),
    top5: pct(ps.filter(top5).length, ps.length),
    exact_no_prior: pct(ps.filter((p) => p.raw[0] === p.text).length, ps.length),
    top5_no_prior: pct(ps.filter((p) => p.raw.includes(p.text)).length, ps.length),
  });
  const groups = ['gb', 'pk', 'us', 'eu-other', 'rest'].map((g) => groupRow(g, plates.filter((p) => countryGroup(p.country) === g)));
  groups.push(groupRow('all', plates));
  const widths = WIDTHS.map(([name, lo, hi]) => {
    const ps = plates.filter((p) => p.width >= lo && p.width < hi);
    return {
      width_px: name,
      n: ps.length,
      recall_iou50: pct(ps.filter((p) => p.iou >= 0.5).length, ps.length),
      iou70: pct(ps.filter((p) => p.iou >= 0.7).length, ps.length),
      exact: pct(ps.filter(exact).length, ps.length),
    };
  });
  const known = plates.filter((p) => p.country && p.country !== '?');
  const found = known.filter((p) => p.plate !== undefined);
  const regionOk = (p: E2EPlate) => regionNames(p.region, p.country);
  const region = ['gb', 'pk', 'us', 'eu-other', 'rest', 'all'].map((g) => {
    const ps = g === 'all' ? known : known.filter((p) => countryGroup(p.country) === g);
    const fs = ps.filter((p) => p.plate !== undefined);
    const read = ps.filter(exact);
    return {
      group: g,
      known: ps.length,
      found: fs.length,
      right: pct(fs.filter(regionOk).length, fs.length),
      right_of_known: pct(ps.filter(regionOk).length, ps.length),
      // the region decision alone: plates whose text was read exactly
      right_when_read: pct(read.filter(regionOk).length, read.length),
    };
  });
  const detection = [
    { boxes: 'detector (threshold)', n: nBoxes, recall: pct(detector.tp, nBoxes), precision: pct(detector.tp, detector.tp + detector.fp), false_positives: detector.fp },
    { boxes: 'answered plates', n: nBoxes, recall: pct(answered.tp, nBoxes), precision: pct(answered.tp, answered.tp + answered.fp), false_positives: answered.fp },
  ];
  printTable('Plate end to end — plates-openlpr-val, clear Latin-script plates (IoU ≥ 0.5 and exact text)', groups);
  printTable('Plate end to end — per true plate width', widths);
  printTable('Plate detection — plates-openlpr-val, every boxed plate, IoU ≥ 0.5', detection);
  printTable(`Plate region — known country (${found.length} of ${known.length} found)`, region);
  const sorted = [...ms].sort((a, b) => a - b);
  return {
    groups,
    widths,
    detection,
    region,
    median_ms: sorted[sorted.length >> 1],
    misses: plates.filter((p) => !exact(p)).map((p) => `${p.image} ${p.country} ${p.text} → ${p.plate ?? '(none)'} [${p.candidates.join(' ')}] reader: ${p.raw[0] ?? '(none)'} iou ${p.iou}`),
    region_misses: found.filter((p) => !regionOk(p)).map((p) => `${p.image} ${p.country} ${p.text} → ${p.plate} ${p.region ?? '(none)'}`),
  };
}

interface CropItem {
  file: string;
  text: string;
  /** The plate's country (lower case), when the set says it. */
  country?: string;
  box?: Box;
}

export function cropSets(data: string): { name: string; dir: string; items: CropItem[] }[] {
  const sets: { name: string; dir: string; items: CropItem[] }[] = [];
  const add = (name: string, dir: string, pick: (rows: Row[]) => CropItem[], file = 'labels.tsv') => {
    const tsv = join(data, dir, file);
    if (existsSync(tsv)) sets.push({ name, dir, items: pick(readTsv(tsv)) });
  };
  const byText = (country?: string) => (rows: Row[]) =>
    rows
      .map((r) => ({ file: 'images/' + r.image, text: clean(r.plate), country: country ?? r.country?.toLowerCase() }))
      .filter((x) => x.text && x.text !== '0' && isVal(x.text));
  add('us', 'plates-openalpr-us-crops', byText('us'));
  add('br', 'plates-openalpr-br-crops', byText('br'));
  add('eu', 'plates-openalpr-eu-crops', (rows) =>
    rows
      .filter((r) => r.legibility === 'clear' && isVal(r.group))
      .map((r) => ({ file: 'images/' + r.image, text: clean(r.plate), country: r.country?.toLowerCase() })),
  );
  add('eu2', 'plates-openalpr-eu2-crops', byText());
  add('ar', 'plates-ar-fastplateocr-crops', byText());
  add(
    'fr (qanastek test)',
    'plates-fr-qanastek',
    (rows) =>
      rows
        .filter((r) => r.split === 'test')
        .map((r) => ({
          file: 'crops/' + r.image,
          text: clean(r.plate),
          country: r.country?.toLowerCase(),
          box: { xmin: +r.plate_x, ymin: +r.plate_y, xmax: +r.plate_x + +r.plate_w, ymax: +r.plate_y + +r.plate_h },
        })),
    'crops.tsv',
  );
  return sets;
}

async function cropReading(engine: Engine, m: PlateModels, data: string) {
  const dec = await nodeDecoders();
  const rows = [];
  const misses: Record<string, string[]> = {};
  const regionMisses: string[] = [];
  let all = 0, allOk = 0, allTop5 = 0, allRaw = 0, allRawTop5 = 0, allKnown = 0, allRegion = 0;
  for (const set of cropSets(data)) {
    let ok = 0, top5 = 0, rawOk = 0, rawTop5 = 0, known = 0, regionOk = 0;
    misses[set.name] = [];
    for (const it of set.items) {
      const img = await dec.decodeBytes(new Uint8Array(readFileSync(join(data, set.dir, it.file))));
      const { cands, raw, region } = await readBox(engine, m, img, it.box ?? { xmin: 0, ymin: 0, xmax: img.width, ymax: img.height });
      if (it.country) {
        known++;
        if (regionNames(region, it.country)) regionOk++;
        else regionMisses.push(`${set.name} ${it.file}: ${it.country} ${it.text} → ${cands[0] ?? '(none)'} ${region ?? '(none)'}`);
      }
      if (cands[0] === it.text) ok++;
      else misses[set.name].push(`${it.file}: ${it.text} → ${cands[0] ?? '(none)'} [${cands.slice(1).join(' ')}] reader: ${raw[0] ?? '(none)'}`);
      if (cands.includes(it.text)) top5++;
      if (raw[0] === it.text) rawOk++;
      if (raw.includes(it.text)) rawTop5++;
    }
    const n = set.items.length;
    all += n;
    allOk += ok;
    allTop5 += top5;
    allRaw += rawOk;
    allRawTop5 += rawTop5;
    allKnown += known;
    allRegion += regionOk;
    const regionCol = { region_right: known ? pct(regionOk, known) : '-' };
    rows.push({ set: set.name, n, exact: pct(ok, n), top5: pct(top5, n), exact_no_prior: pct(rawOk, n), top5_no_prior: pct(rawTop5, n), ...regionCol });
  }
  rows.push({
    set: 'all', n: all, exact: pct(allOk, all), top5: pct(allTop5, all), exact_no_prior: pct(allRaw, all), top5_no_prior: pct(allRawTop5, all),
    region_right: pct(allRegion, allKnown),
  });
  printTable('Plate reading — held-out crops (whole crop as the box), exact top-1 / top-5; region against the set\'s country', rows);
  return { rows, misses, region_misses: regionMisses };
}

export async function plateAccuracy(engine: Engine, m: PlateModels, data: string) {
  const t = performance.now();
  const e2e = await endToEnd(engine, m, data);
  const crops = await cropReading(engine, m, data);
  const result = { date: new Date().toISOString(), end_to_end: e2e, crops, wall_s: Math.round((performance.now() - t) / 100) / 10 };
  console.log(`\nplate bench: ${result.wall_s} s; wrote ${writeJson('plate-accuracy.json', result)}`);
  if (process.env.PLATE_BENCH_TAG) writeJson(`plate-accuracy-${process.env.PLATE_BENCH_TAG}.json`, result);
  return { end_to_end: e2e && { groups: e2e.groups, widths: e2e.widths, detection: e2e.detection, region: e2e.region }, crops: crops.rows };
}
