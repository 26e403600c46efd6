/**
 * VIN barcodes on stickers: Code 39 (often with a leading 'I' import marker, 18 symbols),
 * DataMatrix and QR, read with zxing-wasm (ZXing-C++ as WebAssembly, maintained). Its
 * wasm is never fetched from a CDN: in Node it is read from node_modules; in the browser
 * worker the bundler emits it as an asset of this module (`new URL(…, import.meta.url)`
 * below; `zxing_reader.wasm` here links to zxing-wasm's file). When it cannot be loaded,
 * barcodes are skipped and OCR answers alone.
 */
import { warpQuad, type Point, type RawImage } from '../image/raw-image.ts';
import { quadBounds, quadPoint } from '../text/geometry.ts';
import { locateLinearBarcodes, sharpenRows } from './barcode-locate.ts';
import { glyphBox } from './glyph-box.ts';
import type { Box } from '../schemas.ts';
import { VIN_LENGTH } from './check-digit.ts';
import { passesRules } from './regions.ts';

export interface BarcodeVin {
  vin: string;
  format: 'Code39' | 'DataMatrix' | 'QRCode';
  box: Box;
  vertical: boolean;
}

type ZxingReader = typeof import('zxing-wasm/reader');
let reader: Promise<ZxingReader | null> | null = null;

const isNode = () => typeof process !== 'undefined' && !!process.versions?.node && typeof (globalThis as { window?: unknown }).window === 'undefined';

async function wasmOverrides(): Promise<Record<string, unknown>> {
  if (isNode()) {
    // variable specifiers: browser bundlers leave these Node-only imports alone
    const mod = 'node:module', fs = 'node:fs/promises';
    const { createRequire } = (await import(/* @vite-ignore */ mod)) as typeof import('node:module');
    const { readFile } = (await import(/* @vite-ignore */ fs)) as typeof import('node:fs/promises');
    const path = createRequire(import.meta.url).resolve('zxing-wasm/reader/zxing_reader.wasm');
    return { wasmBinary: new Uint8Array(await readFile(path)) };
  }
  const url = new URL('./zxing_reader.wasm', import.meta.url).href;
  return { locateFile: (path: string, prefix: string) => (path.endsWith('.wasm') ? url : prefix + path) };
}

/** The zxing module, loaded once; null when it cannot be (then no barcode is read). */
export function loadBarcodeReader(): Promise<ZxingReader | null> {
  reader ??= (async () => {
    try {
      const zx = await import('zxing-wasm/reader');
      await zx.prepareZXingModule({ overrides: await wasmOverrides(), fireImmediately: true });
      return zx;
    } catch {
      return null;
    }
  })();
  return reader;
}

/**
 * VINs in a barcode's text: Code 39 VIN labels carry the 17 characters, sometimes after
 * an 'I' (import) marker; 2-D codes may hold the VIN among other fields.
 */
export function vinsInBarcodeText(text: string, format: string, regions?: readonly string[]): string[] {
  const t = text.trim().toUpperCase();
  const out: string[] = [];
  const add = (v: string) => {
    if (v.length === VIN_LENGTH && passesRules(v, regions) && !out.includes(v)) out.push(v);
  };
  if (format === 'Code39') {
    if (t.length === VIN_LENGTH + 1 && t[0] === 'I') add(t.slice(1));
    add(t);
    return out;
  }
  for (const tok of t.split(/[^0-9A-Z]+/)) {
    if (tok.length === VIN_LENGTH) add(tok);
    else if (tok.length === VIN_LENGTH + 1 && tok[0] === 'I') add(tok.slice(1));
  }
  return out;
}

/**
 * Every VIN barcode zxing finds in the image, with its box in image pixels. `skewDeg`: the
 * text's angle where the caller knows it (from the OCR lines): a Code 39 tilted a few
 * degrees is read along the bars only once the image is turned back by it. `turned`: try
 * zxing's 90° turns too; `thorough`: its slower, denser scan (zxing's tryHarder). When
 * nothing reads, linear codes found by their bars (barcode-locate.ts) are warped upright and
 * read one by one.
 */
export async function readVinBarcodes(img: RawImage, regions?: readonly string[], skewDeg = 0, turned = false, thorough = true): Promise<BarcodeVin[]> {
  const zx = await loadBarcodeReader();
  if (!zx) return [];
  const found = await readOnce(zx, img, img, (p) => p, regions, turned, thorough);
  if (found.length) return found;
  if (Math.abs(skewDeg) >= MIN_SKEW_DEG) {
    const a = (skewDeg * Math.PI) / 180, cx = img.width / 2, cy = img.height / 2;
    const rot = (p: Point): Point => ({ x: cx + (p.x - cx) * Math.cos(a) - (p.y - cy) * Math.sin(a), y: cy + (p.x - cx) * Math.sin(a) + (p.y - cy) * Math.cos(a) });
    const corners = [rot({ x: 0, y: 0 }), rot({ x: img.width, y: 0 }), rot({ x: img.width, y: img.height }), rot({ x: 0, y: img.height })];
    // the output pixel (x, y) samples the source at rot(x, y): positions map back the same way
    const turnedBack = await readOnce(zx, warpQuad(img, corners, img.width, img.height), img, rot, regions, turned, thorough);
    if (turnedBack.length) return turnedBack;
  }
  // a code turned or sheared away from the text's angle (perspective): each bar-filled
  // parallelogram warped upright and read alone
  for (const q of locateLinearBarcodes(img)) {
    const w = Math.round(Math.hypot(q[1].x - q[0].x, q[1].y - q[0].y));
    const h = Math.max(MIN_SCAN_HEIGHT, Math.round(Math.hypot(q[3].x - q[0].x, q[3].y - q[0].y)));
    if (w < MIN_SCAN_LENGTH) continue;
    // a blurred label's narrow bars merge: sharpened along the code they read (barcode-only
    // Code 39 stickers of fresh seeds 8500–8579: 21 → 24 of 24), with zxing's local binarizer,
    // else one global threshold (the code fills the crop)
    const upright = sharpenRows(warpQuad(img, q, w, h));
    const back = (p: Point) => quadPoint(q, p.x / w, p.y / h);
    for (const binarizer of ['LocalAverage', 'FixedThreshold'] as const) {
      const read = await readOnce(zx, upright, img, back, regions, false, thorough, binarizer);
      if (read.length) return read;
    }
  }
  return [];
}

/** A located code is read at its own length (no resampling of its bars) and at least this tall. */
const MIN_SCAN_HEIGHT = 24;
/** … and only when this long: 18 Code 39 symbols need ~290 modules. */
const MIN_SCAN_LENGTH = 200;

/** Half the bars' height of a Code 39 VIN label, × its length, when it cannot be measured. */
const BAR_HALF_HEIGHT = 0.04;
/** How far across the scan line the bars' extent is looked for, × its length. */
const BAR_PROBE = 0.12;

/** Below this tilt zxing's scan lines stay within the bars. */
const MIN_SKEW_DEG = 1.5;

async function readOnce(
  zx: ZxingReader,
  img: RawImage,
  source: RawImage,
  toSource: (p: Point) => Point,
  regions: readonly string[] | undefined,
  turned: boolean,
  thorough: boolean,
  binarizer: 'LocalAverage' | 'FixedThreshold' = 'LocalAverage',
): Promise<BarcodeVin[]> {
  // zxing's 90° tries (vertical Code 39) cost up to 20× a plain pass: only for turned text
  // (2-D codes are read in any orientation anyway)
  const results = await zx.readBarcodes(
    { data: img.data, width: img.width, height: img.height, colorSpace: 'srgb' } as unknown as ImageData,
    { formats: ['Code39', 'DataMatrix', 'QRCode'], tryHarder: thorough, tryRotate: turned, tryInvert: false, maxNumberOfSymbols: 4, binarizer },
  );
  const out: BarcodeVin[] = [];
  for (const r of results) {
    if (!r.isValid) continue;
    const format = r.format === 'Code39' || r.format === 'DataMatrix' || r.format === 'QRCode' ? r.format : null;
    if (!format) continue;
    const [tl, tr, br, bl] = [r.position.topLeft, r.position.topRight, r.position.bottomRight, r.position.bottomLeft].map(toSource);
    const vertical = Math.abs(tr.y - tl.y) > Math.abs(tr.x - tl.x);
    let pts = [tl, tr, br, bl];
    let bars: Box | null = null;
    if (format === 'Code39') {
      // a linear code's position is its scan line: its bars' extent is found in the image
      // (the ink band around the line, as for glyphs), else taken as ± 4 % of its length
      const len = Math.hypot(tr.x - tl.x, tr.y - tl.y) || 1;
      const n = (k: number) => ({ x: (-(tr.y - tl.y) / len) * k * len, y: ((tr.x - tl.x) / len) * k * len });
      const probe = n(BAR_PROBE), half = n(BAR_HALF_HEIGHT);
      bars = glyphBox(source, [{ x: tl.x - probe.x, y: tl.y - probe.y }, { x: tr.x - probe.x, y: tr.y - probe.y }, { x: tr.x + probe.x, y: tr.y + probe.y }, { x: tl.x + probe.x, y: tl.y + probe.y }]);
      pts = [tl, tr, br, bl].flatMap((p) => [{ x: p.x + half.x, y: p.y + half.y }, { x: p.x - half.x, y: p.y - half.y }]);
    }
    const b = bars ?? quadBounds(pts);
    const box = { xmin: Math.max(0, b.xmin), ymin: Math.max(0, b.ymin), xmax: Math.min(source.width, b.xmax), ymax: Math.min(source.height, b.ymax) };
    for (const vin of vinsInBarcodeText(r.text, format, regions)) out.push({ vin, format, box, vertical });
  }
  return out;
}
