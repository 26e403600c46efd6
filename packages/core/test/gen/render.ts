/**
 * Shared rendering helpers for the synthetic scene generators: fonts, homographies,
 * perspective compositing, backgrounds, photometric degradation and encoding.
 */
import { existsSync } from 'node:fs';
import { constants as zlibConstants, deflateSync } from 'node:zlib';
import { createCanvas, GlobalFonts, type Canvas, type SKRSContext2D } from '@napi-rs/canvas';
import type { Rng } from './rng.ts';

export interface Box {
  xmin: number;
  ymin: number;
  xmax: number;
  ymax: number;
}
export type Pt = [number, number];
export type Ctx = SKRSContext2D;

// ---------------------------------------------------------------- fonts

const FONT_FILES: { family: string; path: string; pkg: string }[] = [
  { family: 'GenDIN', path: '/usr/share/fonts/truetype/opendin/OSP-DIN.ttf', pkg: 'fonts-opendin' },
  { family: 'GenOCRB', path: '/usr/share/fonts/opentype/ocr-b/OCRB.otf', pkg: 'fonts-ocr-b' },
  { family: 'GenDejaVuSans', path: '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf', pkg: 'fonts-dejavu-core' },
  { family: 'GenDejaVuSansBold', path: '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf', pkg: 'fonts-dejavu-core' },
  { family: 'GenDejaVuMono', path: '/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf', pkg: 'fonts-dejavu-core' },
  { family: 'GenDejaVuMonoBold', path: '/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf', pkg: 'fonts-dejavu-core' },
  { family: 'GenLibSans', path: '/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf', pkg: 'fonts-liberation' },
  { family: 'GenLibSansBold', path: '/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf', pkg: 'fonts-liberation' },
  { family: 'GenLibMono', path: '/usr/share/fonts/truetype/liberation/LiberationMono-Regular.ttf', pkg: 'fonts-liberation' },
  { family: 'GenLibMonoBold', path: '/usr/share/fonts/truetype/liberation/LiberationMono-Bold.ttf', pkg: 'fonts-liberation' },
  { family: 'GenLibNarrow', path: '/usr/share/fonts/truetype/liberation/LiberationSansNarrow-Regular.ttf', pkg: 'fonts-liberation' },
  { family: 'GenLibNarrowBold', path: '/usr/share/fonts/truetype/liberation/LiberationSansNarrow-Bold.ttf', pkg: 'fonts-liberation' },
  { family: 'GenBebas', path: '/usr/share/fonts/opentype/bebas-neue/BebasNeue-Regular.otf', pkg: 'fonts-bebas-neue' },
  { family: 'GenB612', path: '/usr/share/fonts/opentype/b612/B612-Regular.otf', pkg: 'fonts-b612' },
  { family: 'GenB612Mono', path: '/usr/share/fonts/opentype/b612/B612Mono-Regular.otf', pkg: 'fonts-b612' },
  { family: 'GenRobotoCond', path: '/usr/share/fonts/truetype/roboto/unhinted/RobotoCondensed-Regular.ttf', pkg: 'fonts-roboto-unhinted' },
  { family: 'GenRobotoCondBold', path: '/usr/share/fonts/truetype/roboto/unhinted/RobotoCondensed-Bold.ttf', pkg: 'fonts-roboto-unhinted' },
];

let fontsReady = false;

/** Register the generator fonts once; throws naming the Debian package when a file is missing. */
export function ensureFonts(): void {
  if (fontsReady) return;
  const missing = FONT_FILES.filter((f) => !existsSync(f.path));
  if (missing.length > 0) {
    const pkgs = [...new Set(missing.map((f) => f.pkg))].join(' ');
    throw new Error(
      `scene generator: missing font file(s) ${missing.map((f) => f.path).join(', ')}; ` +
        `install the Debian package(s): apt-get install ${pkgs}`,
    );
  }
  for (const f of FONT_FILES) {
    if (!GlobalFonts.registerFromPath(f.path, f.family)) {
      throw new Error(`scene generator: could not register font ${f.path} (Debian package ${f.pkg})`);
    }
  }
  fontsReady = true;
}

export function font(px: number, family: string): string {
  return `${px.toFixed(2)}px ${family}`;
}

// ---------------------------------------------------------------- geometry

/** 3×3 homography (row-major, h[8] = 1) mapping src[i] → dst[i]. */
export function homography(src: readonly Pt[], dst: readonly Pt[]): number[] {
  const A: number[][] = [];
  for (let i = 0; i < 4; i++) {
    const [x, y] = src[i];
    const [u, v] = dst[i];
    A.push([x, y, 1, 0, 0, 0, -u * x, -u * y, u]);
    A.push([0, 0, 0, x, y, 1, -v * x, -v * y, v]);
  }
  // Gaussian elimination with partial pivoting on the 8×9 augmented matrix
  for (let c = 0; c < 8; c++) {
    let p = c;
    for (let r = c + 1; r < 8; r++) if (Math.abs(A[r][c]) > Math.abs(A[p][c])) p = r;
    [A[c], A[p]] = [A[p], A[c]];
    const d = A[c][c];
    if (Math.abs(d) < 1e-12) throw new Error('degenerate homography');
    for (let k = c; k < 9; k++) A[c][k] /= d;
    for (let r = 0; r < 8; r++) {
      if (r === c) continue;
      const f = A[r][c];
      if (f !== 0) for (let k = c; k < 9; k++) A[r][k] -= f * A[c][k];
    }
  }
  return [A[0][8], A[1][8], A[2][8], A[3][8], A[4][8], A[5][8], A[6][8], A[7][8], 1];
}

export function applyH(h: readonly number[], x: number, y: number): Pt {
  const w = h[6] * x + h[7] * y + h[8];
  return [(h[0] * x + h[1] * y + h[2]) / w, (h[3] * x + h[4] * y + h[5]) / w];
}

export function invertH(h: readonly number[]): number[] {
  const [a, b, c, d, e, f, g, i, j] = h;
  const A = e * j - f * i;
  const B = -(d * j - f * g);
  const C = d * i - e * g;
  const det = a * A + b * B + c * C;
  const inv = [
    A, -(b * j - c * i), b * f - c * e,
    B, a * j - c * g, -(a * f - c * d),
    C, -(a * i - b * g), a * e - b * d,
  ].map((v) => v / det);
  return inv.map((v) => v / inv[8]);
}

/** Axis-aligned bounds of a rectangle's four corners under h (not clipped). */
export function boxUnder(h: readonly number[], r: Box): Box {
  const pts = [
    applyH(h, r.xmin, r.ymin),
    applyH(h, r.xmax, r.ymin),
    applyH(h, r.xmax, r.ymax),
    applyH(h, r.xmin, r.ymax),
  ];
  return boundsOf(pts);
}

export function boundsOf(pts: readonly Pt[]): Box {
  return {
    xmin: Math.min(...pts.map((p) => p[0])),
    ymin: Math.min(...pts.map((p) => p[1])),
    xmax: Math.max(...pts.map((p) => p[0])),
    ymax: Math.max(...pts.map((p) => p[1])),
  };
}

export function roundBox(b: Box, w: number, h: number): Box {
  return {
    xmin: Math.max(0, Math.floor(b.xmin)),
    ymin: Math.max(0, Math.floor(b.ymin)),
    xmax: Math.min(w, Math.ceil(b.xmax)),
    ymax: Math.min(h, Math.ceil(b.ymax)),
  };
}

export interface Placement {
  h: number[];
  quad: Pt[];
}

/**
 * Place an object of size ow×oh in a W×H image: scale, rotation (deg), random centre,
 * per-corner jitter (fraction of the smaller projected side). `keep` (object coords)
 * must land inside the image with `margin` px; the whole object is kept inside when
 * a few random tries allow it.
 */
export function placeObject(
  rng: Rng,
  ow: number,
  oh: number,
  W: number,
  H: number,
  opts: { scale: number; rotDeg: number; jitter: number; keep: Box; margin?: number },
): Placement {
  const margin = opts.margin ?? 8;
  const th = (opts.rotDeg * Math.PI) / 180;
  const cos = Math.cos(th);
  const sin = Math.sin(th);
  const s = opts.scale;
  const corners: Pt[] = [
    [0, 0],
    [ow, 0],
    [ow, oh],
    [0, oh],
  ];
  const jit = opts.jitter * Math.min(ow, oh) * s;
  const offs: Pt[] = corners.map(() => [rng.gaussian(0, jit), rng.gaussian(0, jit)]);
  const base = (cx: number, cy: number): Pt[] =>
    corners.map(([x, y], i) => {
      const dx = (x - ow / 2) * s;
      const dy = (y - oh / 2) * s;
      return [cx + dx * cos - dy * sin + offs[i][0], cy + dx * sin + dy * cos + offs[i][1]];
    });
  const inside = (b: Box, m: number) => b.xmin >= m && b.ymin >= m && b.xmax <= W - m && b.ymax <= H - m;
  let best: Placement | null = null;
  for (let attempt = 0; attempt < 40; attempt++) {
    const cx = rng.range(0.2 * W, 0.8 * W);
    const cy = rng.range(0.2 * H, 0.8 * H);
    const quad = base(cx, cy);
    const h = homography(corners, quad);
    const kb = boxUnder(h, opts.keep);
    if (!inside(kb, margin)) continue;
    if (inside(boundsOf(quad), 2)) return { h, quad };
    if (!best) best = { h, quad };
  }
  if (best) return best;
  // fallback: centre the kept region
  const quad0 = base(W / 2, H / 2);
  const h0 = homography(corners, quad0);
  const kb = boxUnder(h0, opts.keep);
  const dx = W / 2 - (kb.xmin + kb.xmax) / 2;
  const dy = H / 2 - (kb.ymin + kb.ymax) / 2;
  const quad = quad0.map(([x, y]) => [x + dx, y + dy] as Pt);
  return { h: homography(corners, quad), quad };
}

// ---------------------------------------------------------------- compositing

export interface Rgba {
  data: Uint8ClampedArray;
  width: number;
  height: number;
  /** Position of this buffer's top-left pixel in destination coordinates (a window of a larger image). */
  ox?: number;
  oy?: number;
}

export function pixels(c: Canvas): Rgba {
  const img = c.getContext('2d').getImageData(0, 0, c.width, c.height);
  return { data: img.data, width: c.width, height: c.height };
}

/** Composite src (straight-alpha RGBA) onto dst through homography h (src → dst), bilinear. */
export function warpOnto(dst: Rgba, src: Rgba, h: readonly number[]): void {
  // dst may be a window (ox, oy) of the destination image
  const inv = invertH(h);
  const sw = src.width;
  const sh = src.height;
  const quad = [applyH(h, 0, 0), applyH(h, sw, 0), applyH(h, sw, sh), applyH(h, 0, sh)];
  const b = boundsOf(quad);
  const ox = dst.ox ?? 0;
  const oy = dst.oy ?? 0;
  const x0 = Math.max(ox, Math.floor(b.xmin));
  const y0 = Math.max(oy, Math.floor(b.ymin));
  const x1 = Math.min(ox + dst.width - 1, Math.ceil(b.xmax));
  const y1 = Math.min(oy + dst.height - 1, Math.ceil(b.ymax));
  const S = src.data;
  const D = dst.data;
  for (let y = y0; y <= y1; y++) {
    const py = y + 0.5;
    for (let x = x0; x <= x1; x++) {
      const px = x + 0.5;
      const w = inv[6] * px + inv[7] * py + inv[8];
      const u = (inv[0] * px + inv[1] * py + inv[2]) / w - 0.5;
      const v = (inv[3] * px + inv[4] * py + inv[5]) / w - 0.5;
      if (u < -1 || v < -1 || u > sw || v > sh) continue;
      const iu = Math.floor(u);
      const iv = Math.floor(v);
      const fu = u - iu;
      const fv = v - iv;
      let a = 0;
      let r = 0;
      let g = 0;
      let bl = 0;
      for (let k = 0; k < 4; k++) {
        const xx = iu + (k & 1);
        const yy = iv + (k >> 1);
        if (xx < 0 || yy < 0 || xx >= sw || yy >= sh) continue;
        const wt = ((k & 1) ? fu : 1 - fu) * ((k >> 1) ? fv : 1 - fv);
        const o = (yy * sw + xx) * 4;
        const aw = (S[o + 3] / 255) * wt;
        a += aw;
        r += S[o] * aw;
        g += S[o + 1] * aw;
        bl += S[o + 2] * aw;
      }
      if (a <= 0.001) continue;
      const o = ((y - oy) * dst.width + (x - ox)) * 4;
      const ia = 1 - a;
      D[o] = r + D[o] * ia;
      D[o + 1] = g + D[o + 1] * ia;
      D[o + 2] = bl + D[o + 2] * ia;
    }
  }
}

/** Composite src onto canvas ctx (W×H) through h, reading back only the covered window. */
export function warpOntoCanvas(ctx: Ctx, W: number, H: number, src: Rgba, h: readonly number[]): void {
  const b = boundsOf([applyH(h, 0, 0), applyH(h, src.width, 0), applyH(h, src.width, src.height), applyH(h, 0, src.height)]);
  const x0 = Math.max(0, Math.floor(b.xmin) - 1);
  const y0 = Math.max(0, Math.floor(b.ymin) - 1);
  const x1 = Math.min(W, Math.ceil(b.xmax) + 1);
  const y1 = Math.min(H, Math.ceil(b.ymax) + 1);
  if (x1 <= x0 || y1 <= y0) return;
  const img = ctx.getImageData(x0, y0, x1 - x0, y1 - y0);
  warpOnto({ data: img.data, width: x1 - x0, height: y1 - y0, ox: x0, oy: y0 }, src, h);
  ctx.putImageData(img, x0, y0);
}

// ---------------------------------------------------------------- backgrounds

export function hsl(h: number, s: number, l: number, a = 1): string {
  return `hsla(${h.toFixed(1)},${s.toFixed(1)}%,${l.toFixed(1)}%,${a.toFixed(3)})`;
}

/** Random clutter background: gradient + shapes + soft blobs (no photos). */
export function drawClutterBackground(ctx: Ctx, rng: Rng, W: number, H: number, dark = false): void {
  const hue = rng.range(0, 360);
  const sat = rng.range(5, 35);
  const l0 = dark ? rng.range(6, 20) : rng.range(25, 70);
  const g = ctx.createLinearGradient(rng.range(0, W), 0, rng.range(0, W), H);
  g.addColorStop(0, hsl(hue, sat, l0));
  g.addColorStop(1, hsl((hue + rng.range(-40, 40) + 360) % 360, sat, Math.max(3, l0 + rng.range(-20, 20))));
  ctx.fillStyle = g;
  ctx.fillRect(0, 0, W, H);
  const n = rng.int(4, 14);
  for (let i = 0; i < n; i++) {
    const l = dark ? rng.range(3, 28) : rng.range(10, 85);
    ctx.fillStyle = hsl(rng.range(0, 360), rng.range(0, 40), l, rng.range(0.15, 0.7));
    const t = rng.int(0, 3);
    const x = rng.range(-0.2 * W, W);
    const y = rng.range(-0.2 * H, H);
    if (t === 0) {
      ctx.fillRect(x, y, rng.range(40, W * 0.6), rng.range(20, H * 0.5));
    } else if (t === 1) {
      ctx.beginPath();
      ctx.arc(x, y, rng.range(20, 260), 0, Math.PI * 2);
      ctx.fill();
    } else if (t === 2) {
      ctx.strokeStyle = ctx.fillStyle;
      ctx.lineWidth = rng.range(2, 30);
      ctx.beginPath();
      ctx.moveTo(x, y);
      ctx.lineTo(rng.range(0, W), rng.range(0, H));
      ctx.stroke();
    } else {
      const rg = ctx.createRadialGradient(x, y, 0, x, y, rng.range(80, 500));
      rg.addColorStop(0, hsl(rng.range(0, 360), rng.range(0, 30), l, 0.6));
      rg.addColorStop(1, hsl(0, 0, l, 0));
      ctx.fillStyle = rg;
      ctx.fillRect(0, 0, W, H);
    }
  }
}

// ---------------------------------------------------------------- degradation + encoding

let noiseTable: Float32Array | null = null;
function gaussTable(): Float32Array {
  if (noiseTable) return noiseTable;
  // fixed table (own seed) so per-pixel noise is a cheap lookup
  let s = 0x12345678;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const n = 1 << 16;
  const tbl = new Float32Array(n);
  for (let i = 0; i < n; i += 2) {
    const u = Math.max(next(), 1e-9);
    const v = next();
    const r = Math.sqrt(-2 * Math.log(u));
    tbl[i] = r * Math.cos(2 * Math.PI * v);
    tbl[i + 1] = r * Math.sin(2 * Math.PI * v);
  }
  noiseTable = tbl;
  return tbl;
}

export interface FinishOptions {
  format: 'png' | 'jpeg';
  /** Gaussian blur σ in px (0 = none). */
  blurSigma: number;
  /** Additive Gaussian noise σ in grey levels. */
  noiseSigma: number;
  /** Per-channel colour noise as a fraction of noiseSigma. */
  chromaNoise: number;
  brightness: number;
  contrast: number;
  /** Per-channel gain (white balance / colour cast). */
  gain: [number, number, number];
  jpegQuality: number;
  /** Noise table offset/stride (from the scene rng). */
  noiseOffset: number;
  noiseStride: number;
}

export function randomFinish(rng: Rng, format: 'png' | 'jpeg'): FinishOptions {
  return {
    format,
    blurSigma: rng.chance(0.55) ? rng.range(0.3, 1.2) : 0,
    noiseSigma: rng.range(1, 9),
    chromaNoise: rng.range(0, 0.5),
    brightness: rng.range(-35, 30),
    contrast: rng.range(0.7, 1.2),
    gain: [rng.range(0.92, 1.08), rng.range(0.95, 1.05), rng.range(0.9, 1.1)],
    jpegQuality: rng.int(55, 90),
    noiseOffset: rng.int(0, 65535),
    noiseStride: rng.pick([1, 3, 5, 7, 11, 13]),
  };
}

/** Apply blur, photometric changes and noise to the scene canvas and encode it. */
export function finishAndEncode(canvas: Canvas, o: FinishOptions): Uint8Array {
  const W = canvas.width;
  const H = canvas.height;
  let c = canvas;
  if (o.blurSigma >= 0.25) {
    const c2 = createCanvas(W, H);
    const x2 = c2.getContext('2d');
    x2.drawImage(c, 0, 0); // fills edges the blur would darken
    x2.filter = `blur(${o.blurSigma.toFixed(3)}px)`;
    x2.drawImage(c, 0, 0);
    x2.filter = 'none';
    c = c2;
  }
  const ctx = c.getContext('2d');
  const img = ctx.getImageData(0, 0, W, H);
  const d = img.data;
  const tbl = gaussTable();
  const mask = tbl.length - 1;
  let k = o.noiseOffset;
  const st = o.noiseStride;
  const cn = o.chromaNoise * o.noiseSigma;
  const ns = o.noiseSigma;
  const [gr, gg, gb] = o.gain;
  const mid = 128;
  const bc = o.brightness;
  const ct = o.contrast;
  for (let i = 0; i < d.length; i += 4) {
    const n = tbl[k & mask] * ns;
    const cr = tbl[(k + 17) & mask] * cn;
    k += st;
    d[i] = (d[i] * gr - mid) * ct + mid + bc + n + cr;
    d[i + 1] = (d[i + 1] * gg - mid) * ct + mid + bc + n;
    d[i + 2] = (d[i + 2] * gb - mid) * ct + mid + bc + n - cr;
    d[i + 3] = 255;
  }
  if (o.format === 'png') return encodePng(d, W, H);
  ctx.putImageData(img, 0, 0);
  return new Uint8Array(c.encodeSync('jpeg', o.jpegQuality));
}

// minimal PNG encoder (RGB, filter Sub, Huffman-only deflate): faster than Skia's on noisy images
const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();
function crc32(buf: Uint8Array, start: number, end: number): number {
  let c = 0xffffffff;
  for (let i = start; i < end; i++) c = CRC_TABLE[(c ^ buf[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

export function encodePng(rgba: Uint8ClampedArray, W: number, H: number): Uint8Array {
  const stride = W * 3 + 1;
  const raw = new Uint8Array(stride * H);
  for (let y = 0; y < H; y++) {
    const ro = y * stride;
    raw[ro] = 1; // Sub filter
    let pr = 0;
    let pg = 0;
    let pb = 0;
    for (let x = 0; x < W; x++) {
      const si = (y * W + x) * 4;
      const di = ro + 1 + x * 3;
      const r = rgba[si];
      const g = rgba[si + 1];
      const b = rgba[si + 2];
      raw[di] = (r - pr) & 0xff;
      raw[di + 1] = (g - pg) & 0xff;
      raw[di + 2] = (b - pb) & 0xff;
      pr = r;
      pg = g;
      pb = b;
    }
  }
  const idat = deflateSync(raw, { level: 1, strategy: zlibConstants.Z_HUFFMAN_ONLY });
  const chunks: [string, Uint8Array][] = [];
  const ihdr = new Uint8Array(13);
  const dv = new DataView(ihdr.buffer);
  dv.setUint32(0, W);
  dv.setUint32(4, H);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  chunks.push(['IHDR', ihdr], ['IDAT', new Uint8Array(idat.buffer, idat.byteOffset, idat.byteLength)], ['IEND', new Uint8Array(0)]);
  const total = 8 + chunks.reduce((s, [, c]) => s + 12 + c.length, 0);
  const out = new Uint8Array(total);
  out.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 0);
  const odv = new DataView(out.buffer);
  let p = 8;
  for (const [type, data] of chunks) {
    odv.setUint32(p, data.length);
    for (let i = 0; i < 4; i++) out[p + 4 + i] = type.charCodeAt(i);
    out.set(data, p + 8);
    odv.setUint32(p + 8 + data.length, crc32(out, p + 4, p + 8 + data.length));
    p += 12 + data.length;
  }
  return out;
}

// ---------------------------------------------------------------- text helpers

export interface TextBox extends Box {
  width: number;
}

/** Glyph bounds of `text` drawn at (x, y) with the current font, textAlign left, baseline alphabetic. */
export function textBox(ctx: Ctx, text: string, x: number, y: number): TextBox {
  const m = ctx.measureText(text);
  return {
    xmin: x - m.actualBoundingBoxLeft,
    xmax: x + m.actualBoundingBoxRight,
    ymin: y - m.actualBoundingBoxAscent,
    ymax: y + m.actualBoundingBoxDescent,
    width: m.width,
  };
}

/** Font size at which capital letters of `family` are `capPx` tall. */
export function fontSizeForCap(ctx: Ctx, family: string, capPx: number): number {
  ctx.font = font(100, family);
  const m = ctx.measureText('HBE');
  return (100 * capPx) / m.actualBoundingBoxAscent;
}

export function newCanvas(w: number, h: number): { canvas: Canvas; ctx: Ctx } {
  const canvas = createCanvas(Math.max(1, Math.ceil(w)), Math.max(1, Math.ceil(h)));
  const ctx = canvas.getContext('2d');
  ctx.textAlign = 'left';
  ctx.textBaseline = 'alphabetic';
  return { canvas, ctx };
}

export function roundRect(ctx: Ctx, x: number, y: number, w: number, h: number, r: number): void {
  ctx.beginPath();
  ctx.moveTo(x + r, y);
  ctx.lineTo(x + w - r, y);
  ctx.arcTo(x + w, y, x + w, y + r, r);
  ctx.lineTo(x + w, y + h - r);
  ctx.arcTo(x + w, y + h, x + w - r, y + h, r);
  ctx.lineTo(x + r, y + h);
  ctx.arcTo(x, y + h, x, y + h - r, r);
  ctx.lineTo(x, y + r);
  ctx.arcTo(x, y, x + r, y, r);
  ctx.closePath();
}

/** Random 1D-barcode-looking bars in [x, x+w] × [y, y+h]. */
export function drawBarcode(ctx: Ctx, rng: Rng, x: number, y: number, w: number, h: number, color = '#111'): void {
  ctx.fillStyle = color;
  const unit = Math.max(1, w / rng.int(90, 160));
  let cx = x;
  while (cx < x + w - 3 * unit) {
    const bw = unit * rng.int(1, 3);
    ctx.fillRect(cx, y, Math.min(bw, x + w - cx), h);
    cx += bw + unit * rng.int(1, 3);
  }
}
