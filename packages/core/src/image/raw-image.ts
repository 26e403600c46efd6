/**
 * RawImage: the one pixel container every vision module works on — RGBA, 8 bit,
 * row-major, like ImageData. Pure functions over it (no DOM, no Node APIs), so the
 * same code runs in the browser worker and in Node.
 */
export interface RawImage {
  data: Uint8ClampedArray;
  width: number;
  height: number;
}

export interface Point {
  x: number;
  y: number;
}

export function createImage(width: number, height: number): RawImage {
  return { data: new Uint8ClampedArray(width * height * 4), width, height };
}

/** Bilinear sample of channel c at (x, y), clamped at the border. */
function sample(src: RawImage, x: number, y: number, out: Uint8ClampedArray, o: number): void {
  const { width: w, height: h, data } = src;
  const xc = Math.min(Math.max(x, 0), w - 1);
  const yc = Math.min(Math.max(y, 0), h - 1);
  const x0 = Math.floor(xc);
  const y0 = Math.floor(yc);
  const x1 = Math.min(x0 + 1, w - 1);
  const y1 = Math.min(y0 + 1, h - 1);
  const fx = xc - x0;
  const fy = yc - y0;
  const i00 = (y0 * w + x0) * 4;
  const i01 = (y0 * w + x1) * 4;
  const i10 = (y1 * w + x0) * 4;
  const i11 = (y1 * w + x1) * 4;
  for (let c = 0; c < 4; c++) {
    const top = data[i00 + c] * (1 - fx) + data[i01 + c] * fx;
    const bot = data[i10 + c] * (1 - fx) + data[i11 + c] * fx;
    out[o + c] = top * (1 - fy) + bot * fy;
  }
}

/** Luma (BT.601 weights) of every pixel, row-major: the grey image edge and texture measures work on. */
export function luma(img: RawImage): Float32Array {
  const n = img.width * img.height, d = img.data, g = new Float32Array(n);
  for (let i = 0, p = 0; i < n; i++, p += 4) g[i] = 0.299 * d[p] + 0.587 * d[p + 1] + 0.114 * d[p + 2];
  return g;
}

/**
 * Resize with bilinear sampling (pixel-centre aligned). When shrinking by more than 2×
 * it first box-averages by an integer factor so small text does not alias away.
 */
export function resize(src: RawImage, width: number, height: number): RawImage {
  let img = src;
  const fx = Math.floor(src.width / width);
  const fy = Math.floor(src.height / height);
  if (fx >= 2 || fy >= 2) img = boxDownsample(src, Math.max(1, fx), Math.max(1, fy));
  const out = createImage(width, height);
  // separable taps, computed once per column / row (this runs on every detector input)
  const cols = taps(img.width, width);
  const rows = taps(img.height, height);
  const s = img.data, d = out.data, rowLen = img.width * 4;
  for (let y = 0; y < height; y++) {
    const r0 = rows.i0[y] * rowLen, r1 = rows.i1[y] * rowLen, fy = rows.f[y];
    let o = y * width * 4;
    for (let x = 0; x < width; x++, o += 4) {
      const a = r0 + cols.i0[x] * 4, b = r0 + cols.i1[x] * 4, c = r1 + cols.i0[x] * 4, e = r1 + cols.i1[x] * 4;
      const fx = cols.f[x];
      for (let k = 0; k < 4; k++) {
        const top = s[a + k] + (s[b + k] - s[a + k]) * fx;
        const bot = s[c + k] + (s[e + k] - s[c + k]) * fx;
        d[o + k] = top + (bot - top) * fy;
      }
    }
  }
  return out;
}

/** Bilinear taps for resampling n source pixels to m (pixel centres aligned, clamped). */
function taps(n: number, m: number): { i0: Int32Array; i1: Int32Array; f: Float32Array } {
  const i0 = new Int32Array(m), i1 = new Int32Array(m), f = new Float32Array(m);
  const scale = n / m;
  for (let j = 0; j < m; j++) {
    const v = Math.min(Math.max((j + 0.5) * scale - 0.5, 0), n - 1);
    i0[j] = Math.floor(v);
    i1[j] = Math.min(i0[j] + 1, n - 1);
    f[j] = v - i0[j];
  }
  return { i0, i1, f };
}

function boxDownsample(src: RawImage, fx: number, fy: number): RawImage {
  const w = Math.floor(src.width / fx);
  const h = Math.floor(src.height / fy);
  const out = createImage(w, h);
  const n = fx * fy;
  const s = src.data;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let r = 0, g = 0, b = 0, a = 0;
      for (let dy = 0; dy < fy; dy++) {
        let i = ((y * fy + dy) * src.width + x * fx) * 4;
        for (let dx = 0; dx < fx; dx++, i += 4) {
          r += s[i]; g += s[i + 1]; b += s[i + 2]; a += s[i + 3];
        }
      }
      const o = (y * w + x) * 4;
      out.data[o] = r / n; out.data[o + 1] = g / n; out.data[o + 2] = b / n; out.data[o + 3] = a / n;
    }
  }
  return out;
}

/** Rotate by 90° clockwise ('cw') or counter-clockwise ('ccw'). */
export function rotate90(src: RawImage, dir: 'cw' | 'ccw'): RawImage {
  const { width: w, height: h } = src;
  const out = createImage(h, w);
  const s = new Uint32Array(src.data.buffer, src.data.byteOffset, w * h);
  const d = new Uint32Array(out.data.buffer, 0, w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      // cw: (x, y) → (h-1-y, x); ccw: (x, y) → (y, w-1-x)
      const o = dir === 'cw' ? x * h + (h - 1 - y) : (w - 1 - x) * h + y;
      d[o] = s[y * w + x];
    }
  }
  return out;
}

/** Rotate by 180°. */
export function rotate180(src: RawImage): RawImage {
  const n = src.width * src.height;
  const out = createImage(src.width, src.height);
  const s = new Uint32Array(src.data.buffer, src.data.byteOffset, n);
  const d = new Uint32Array(out.data.buffer, 0, n);
  for (let i = 0; i < n; i++) d[i] = s[n - 1 - i];
  return out;
}

/**
 * Sample the quadrilateral [tl, tr, br, bl] into a width×height upright image
 * (bilinear interpolation of the corners: exact for parallelograms, close for mild
 * perspective) — this is how tilted text lines and plates are rectified.
 */
export function warpQuad(src: RawImage, quad: readonly Point[], width: number, height: number): RawImage {
  const [tl, tr, br, bl] = quad;
  const out = createImage(width, height);
  for (let y = 0; y < height; y++) {
    const v = (y + 0.5) / height;
    const lx = tl.x + (bl.x - tl.x) * v, ly = tl.y + (bl.y - tl.y) * v;
    const rx = tr.x + (br.x - tr.x) * v, ry = tr.y + (br.y - tr.y) * v;
    for (let x = 0; x < width; x++) {
      const u = (x + 0.5) / width;
      sample(src, lx + (rx - lx) * u - 0.5, ly + (ry - ly) * u - 0.5, out.data, (y * width + x) * 4);
    }
  }
  return out;
}

/** Axis-aligned crop (clamped to the image). */
export function crop(src: RawImage, x: number, y: number, w: number, h: number): RawImage {
  const x0 = Math.max(0, Math.floor(x));
  const y0 = Math.max(0, Math.floor(y));
  const x1 = Math.min(src.width, Math.ceil(x + w));
  const y1 = Math.min(src.height, Math.ceil(y + h));
  const out = createImage(Math.max(1, x1 - x0), Math.max(1, y1 - y0));
  for (let yy = y0; yy < y1; yy++) {
    out.data.set(src.data.subarray((yy * src.width + x0) * 4, (yy * src.width + x1) * 4), (yy - y0) * out.width * 4);
  }
  return out;
}

export interface TensorSpec {
  /** Channel order of the model input. */
  colorOrder: 'RGB' | 'BGR';
  /** Pixel value is divided by this first (255 → [0,1]). */
  scale: number;
  mean: readonly [number, number, number];
  std: readonly [number, number, number];
}

/**
 * RGBA image → planar float tensor data (CHW), normalised per channel, written at
 * `offset` of `out` so several crops can share one batch buffer.
 * `padTo` right-pads each row with `padValue` (already normalised) up to that width.
 */
export function toCHW(
  img: RawImage,
  spec: TensorSpec,
  out?: Float32Array,
  offset = 0,
  padTo = img.width,
  padValue = 0,
): Float32Array {
  const { width: w, height: h, data } = img;
  const plane = padTo * h;
  const dst = out ?? new Float32Array(3 * plane);
  const order = spec.colorOrder === 'RGB' ? [0, 1, 2] : [2, 1, 0];
  for (let c = 0; c < 3; c++) {
    const src = order[c];
    const k = 1 / (spec.scale * spec.std[c]);
    const b = spec.mean[c] / spec.std[c];
    const base = offset + c * plane;
    for (let y = 0; y < h; y++) {
      const row = base + y * padTo;
      for (let x = 0; x < w; x++) dst[row + x] = data[(y * w + x) * 4 + src] * k - b;
      for (let x = w; x < padTo; x++) dst[row + x] = padValue;
    }
  }
  return dst;
}
