/**
 * `pnpm bench:accuracy:browser`: the plate dev benchmark's end-to-end rows, read in real
 * Chromium through the public worker API (WASM), so the browser's own decode path is measured:
 * the detector reads a preview the canvas scaled (Skia), not the one libvips makes in Node, and
 * the reader is sensitive to where the box lands (in Node the preview's resize kernel alone moved
 * end-to-end exact between 91 and 94 %). Same rules as plate-accuracy.ts: plates-openlpr-val's
 * clear Latin-script plates, the result box with the highest IoU (≥ 0.5) must read the text
 * exactly. When bench-results/plate-accuracy.json (the Node run) exists, also prints how many
 * plates the two runtimes answer alike. Writes bench-results/plate-browser.json.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { iou } from '../../packages/core/src/plate/nms.ts';
import type { Box } from '../../packages/core/src/schemas.ts';
import { median, openHarness, printTable, ROOT, writeJson } from './common.ts';
import { clean, countryGroup, pct, readTsv, regionNames } from './plate-accuracy.ts';

const DATA = join(ROOT, '../shared/data');
const dir = join(DATA, 'plates-openlpr-val');
const THREADS = Number(process.env.THREADS ?? 2);

const rows = readTsv(join(dir, 'texts.tsv'));
const byImage = new Map<string, typeof rows>();
for (const r of rows) byImage.set(r.image, [...(byImage.get(r.image) ?? []), r]);

interface Answer { plate: string; box: Box; region?: string }
interface Plate { image: string; text: string; country: string; width: number; plate?: string; region?: string }

const b = await openHarness();
const plates: Plate[] = [];
const ms: number[] = [];
let tp = 0, fp = 0, nBoxes = 0;
try {
  await b.page.evaluate(async (threads) => {
    const w = window as unknown as { platelens: { createRecognizer(o: object): Promise<unknown> }; __rec: unknown };
    w.__rec = await w.platelens.createRecognizer({ backend: 'wasm', numThreads: threads, modelBaseUrl: '/' });
  }, THREADS);
  for (const [image, gts] of byImage) {
    const b64 = readFileSync(join(dir, 'images', image)).toString('base64');
    const { answers, t } = await b.page.evaluate(async (b64) => {
      const rec = (window as unknown as { __rec: { recognizePlate(b: Uint8Array): Promise<{ results: { plate: string; box: Box; region?: { code: string } }[] }> } }).__rec;
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const t0 = performance.now();
      const res = await rec.recognizePlate(bytes).then((r) => r.results, () => []);
      return { answers: res.map((r) => ({ plate: r.plate, box: r.box, region: r.region?.code })), t: performance.now() - t0 };
    }, b64);
    ms.push(t);
    const boxes = gts.map((r) => ({ xmin: +r.x, ymin: +r.y, xmax: +r.x + +r.w, ymax: +r.y + +r.h }));
    nBoxes += boxes.length;
    const used = new Set<number>();
    for (const a of answers as Answer[]) {
      const j = boxes.findIndex((bx, i) => !used.has(i) && iou(bx, a.box) >= 0.5);
      if (j >= 0) {
        used.add(j);
        tp++;
      } else fp++;
    }
    gts.forEach((r, i) => {
      if (r.legibility !== 'clear' || !r.text || r.text === '-') return;
      let best: Answer | undefined, bestIou = 0;
      for (const a of answers as Answer[]) {
        const o = iou(boxes[i], a.box);
        if (o > bestIou) [best, bestIou] = [a, o];
      }
      const hit = best && bestIou >= 0.5 ? best : undefined;
      plates.push({ image, text: clean(r.text), country: r.country, width: boxes[i].xmax - boxes[i].xmin, plate: hit?.plate.toUpperCase(), region: hit?.region });
    });
  }
} finally {
  await b.close();
}

const exact = (p: Plate) => p.plate === p.text;
const groups = ['gb', 'pk', 'us', 'eu-other', 'rest', 'all'].map((g) => {
  const ps = g === 'all' ? plates : plates.filter((p) => countryGroup(p.country) === g);
  return { group: g, n: ps.length, found: pct(ps.filter((p) => p.plate !== undefined).length, ps.length), exact: pct(ps.filter(exact).length, ps.length) };
});
const known = plates.filter((p) => p.country && p.country !== '?' && p.plate !== undefined);
const summary = {
  answered_recall: pct(tp, nBoxes),
  answered_precision: pct(tp, tp + fp),
  region_right: pct(known.filter((p) => regionNames(p.region, p.country)).length, known.length),
  median_ms: Math.round(median(ms) * 10) / 10,
};
printTable(`Plate end to end in Chromium (worker, WASM ${THREADS} threads) — plates-openlpr-val, clear Latin-script plates`, groups);
printTable('Answered plates (IoU ≥ 0.5, every boxed plate) and region (found plates of known country)', [summary]);

// the same plates as the Node run read them (plate-accuracy.ts writes each clear plate's answer in its misses)
const nodeJson = join(ROOT, 'bench-results/plate-accuracy.json');
let agreement: { same: number; n: number; node_only: string[]; browser_only: string[] } | null = null;
if (existsSync(nodeJson)) {
  const node = JSON.parse(readFileSync(nodeJson, 'utf8'));
  const nodeMiss = new Set<string>((node.end_to_end?.misses ?? []).map((m: string) => m.split(' → ')[0]));
  const key = (p: Plate) => `${p.image} ${p.country} ${p.text}`;
  const browserMiss = new Set(plates.filter((p) => !exact(p)).map(key));
  agreement = {
    same: plates.filter((p) => nodeMiss.has(key(p)) === browserMiss.has(key(p))).length,
    n: plates.length,
    node_only: plates.filter((p) => exact(p) && nodeMiss.has(key(p))).map(key),
    browser_only: plates.filter((p) => !exact(p) && !nodeMiss.has(key(p))).map((p) => `${key(p)} → ${p.plate ?? '(none)'}`),
  };
  console.log(`\nNode (bench-results/plate-accuracy.json) and Chromium agree on right/wrong for ${agreement.same} of ${agreement.n} plates`);
  console.log(`  right only in Node: ${agreement.browser_only.join('; ') || '-'}`);
  console.log(`  right only in Chromium: ${agreement.node_only.join('; ') || '-'}`);
}
const misses = plates.filter((p) => !exact(p)).map((p) => `${p.image} ${p.country} ${p.text} → ${p.plate ?? '(none)'}`);
console.log(`\nwrote ${writeJson('plate-browser.json', { date: new Date().toISOString(), threads: THREADS, groups, summary, agreement, misses })}`);
