/**
 * A tiny Y4M (YUV4MPEG2) writer for Chromium's fake camera (--use-file-for-fake-video-capture):
 * RGBA frames → 4:2:0 (C420jpeg: JPEG full-range BT.601, chroma averaged over 2×2). Chromium
 * plays the file at its frame rate and loops it.
 */
import { closeSync, openSync, writeSync } from 'node:fs';

/** RGBA → one I420 frame. */
export function rgbaToI420(rgba: Uint8ClampedArray, w: number, h: number): Buffer {
  const out = Buffer.alloc(w * h * 1.5);
  const u0 = w * h;
  const v0 = u0 + (w / 2) * (h / 2);
  const clamp = (x: number) => Math.max(0, Math.min(255, Math.round(x)));
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 4;
      out[y * w + x] = clamp(0.299 * rgba[i] + 0.587 * rgba[i + 1] + 0.114 * rgba[i + 2]);
    }
  }
  for (let y = 0; y < h / 2; y++) {
    for (let x = 0; x < w / 2; x++) {
      let r = 0, g = 0, b = 0;
      for (const [dx, dy] of [[0, 0], [1, 0], [0, 1], [1, 1]]) {
        const i = ((2 * y + dy) * w + 2 * x + dx) * 4;
        r += rgba[i] / 4;
        g += rgba[i + 1] / 4;
        b += rgba[i + 2] / 4;
      }
      out[u0 + y * (w / 2) + x] = clamp(128 - 0.168736 * r - 0.331264 * g + 0.5 * b);
      out[v0 + y * (w / 2) + x] = clamp(128 + 0.5 * r - 0.418688 * g - 0.081312 * b);
    }
  }
  return out;
}

/** Writes `frames` (RGBA, w × h, both even) to `path` as a Y4M clip at `fps`. */
export function writeY4m(path: string, frames: Iterable<Uint8ClampedArray>, w: number, h: number, fps: number): number {
  if (w % 2 || h % 2) throw new Error(`Y4M 4:2:0 needs even sizes, got ${w}×${h}`);
  const fd = openSync(path, 'w');
  let n = 0;
  try {
    writeSync(fd, `YUV4MPEG2 W${w} H${h} F${fps}:1 Ip A1:1 C420jpeg\n`);
    for (const rgba of frames) {
      writeSync(fd, 'FRAME\n');
      writeSync(fd, rgbaToI420(rgba, w, h));
      n++;
    }
  } finally {
    closeSync(fd);
  }
  return n;
}
