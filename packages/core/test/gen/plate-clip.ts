/**
 * A project-made video clip of a street: cars drive through the frame one after the other,
 * their plates moving with them, with empty frames before, between and after. Each car is cut
 * from a scene of the plate-scene generator (plate-scenes.ts: the car around its plate) and
 * slid across a plain road; ground truth per frame comes with it.
 *
 *   const clip = await plateClip({ width: 640, height: 360 });
 *   for (const f of clip.frames()) f.rgba;  // RGBA pixels, f.plates: the plates in view
 *
 * The clip is deterministic (seeds). `degrade` renders the degraded variant the video bench
 * compares on: blur and low light, the case a per-character vote is for.
 */
import { createCanvas, loadImage, type Canvas, type Image } from '@napi-rs/canvas';
import { generatePlateScene, type PlateStyle } from './plate-scenes.ts';
import type { Box } from './render.ts';

export interface ClipCar {
  text: string;
  style: PlateStyle;
  /** First and last frame index in which some of the plate is in view. */
  enter: number;
  leave: number;
}

export interface ClipFrame {
  index: number;
  timestampMs: number;
  rgba: Uint8ClampedArray;
  /** Plates at least partly in view: text and clipped box. */
  plates: { text: string; box: Box; visible: number }[];
}

export interface PlateClip {
  width: number;
  height: number;
  fps: number;
  cars: ClipCar[];
  length: number;
  frames(): Generator<ClipFrame>;
}

export interface PlateClipOptions {
  width?: number;
  height?: number;
  fps?: number;
  /** One scene seed per car; the cars cross in turn, alternating direction. */
  seeds?: number[];
  styles?: PlateStyle[];
  /** Frames each car takes to cross the frame. */
  crossFrames?: number;
  /** Empty frames before the first car, between cars and after the last. */
  gapFrames?: number;
  degrade?: { blurPx: number; brightness: number };
}

interface Sprite {
  img: Image;
  sw: number;
  sh: number;
  /** Plate box inside the sprite. */
  plate: Box;
  text: string;
  style: PlateStyle;
}

/** The car around its plate, cut out of a generated scene (plate box expanded to the car's width). */
async function carSprite(seed: number, style: PlateStyle, width: number, height: number): Promise<Sprite> {
  const s = generatePlateScene(seed, { plates: 1, style, width, height, tiltDeg: 0 });
  const p = s.plates[0];
  const pw = p.box.xmax - p.box.xmin;
  const ph = p.box.ymax - p.box.ymin;
  const x0 = Math.max(0, Math.round(p.box.xmin - pw * 1.2));
  const x1 = Math.min(s.width, Math.round(p.box.xmax + pw * 1.2));
  const y0 = Math.max(0, Math.round(p.box.ymin - ph * 3));
  const y1 = Math.min(s.height, Math.round(p.box.ymax + ph * 1.5));
  const full = await loadImage(Buffer.from(s.bytes));
  const c = createCanvas(x1 - x0, y1 - y0);
  c.getContext('2d').drawImage(full, x0, y0, x1 - x0, y1 - y0, 0, 0, x1 - x0, y1 - y0);
  const img = await loadImage(c.toBuffer('image/png'));
  return {
    img,
    sw: x1 - x0,
    sh: y1 - y0,
    plate: { xmin: p.box.xmin - x0, ymin: p.box.ymin - y0, xmax: p.box.xmax - x0, ymax: p.box.ymax - y0 },
    text: p.text,
    style,
  };
}

export async function plateClip(o: PlateClipOptions = {}): Promise<PlateClip> {
  const W = o.width ?? 640;
  const H = o.height ?? 360;
  const fps = o.fps ?? 10;
  const seeds = o.seeds ?? [11, 12];
  const styles = o.styles ?? ['eu', 'us'];
  const cross = o.crossFrames ?? 24;
  const gap = o.gapFrames ?? 6;
  // cars are cut from scenes twice the clip's size and drawn at half size: sharper plates, as a camera gives
  const sprites = await Promise.all(seeds.map((s, i) => carSprite(s, styles[i % styles.length], W * 2, H * 2)));
  const K = 0.5;
  const schedule = sprites.map((sp, i) => {
    const start = gap + i * (cross + gap);
    return { sp, start, dir: i % 2 === 0 ? 1 : -1, y: H * (0.55 + 0.08 * (i % 2)) };
  });
  const length = gap + sprites.length * (cross + gap);
  /** Sprite's left edge at frame f: from just outside one side to just outside the other. */
  const placement = (c: (typeof schedule)[number], f: number) => {
    const t = (f - c.start) / (cross - 1);
    if (t < 0 || t > 1) return null;
    const w = c.sp.sw * K;
    const from = -w;
    const to = W;
    const x = c.dir > 0 ? from + (to - from) * t : to - (to - from) * t;
    const y = c.y - (c.sp.sh * K) / 2 + Math.sin(t * Math.PI * 2) * H * 0.02; // a little bounce
    return { x, y, w, h: c.sp.sh * K };
  };
  const cars: ClipCar[] = schedule.map((c) => {
    let enter = -1;
    let leave = -1;
    for (let f = c.start; f < c.start + cross; f++) {
      const pl = placement(c, f)!;
      const px0 = pl.x + c.sp.plate.xmin * K;
      const px1 = pl.x + c.sp.plate.xmax * K;
      if (px1 > 0 && px0 < W) {
        if (enter < 0) enter = f;
        leave = f;
      }
    }
    return { text: c.sp.text, style: c.sp.style, enter, leave };
  });

  function* frames(): Generator<ClipFrame> {
    const canvas = createCanvas(W, H);
    const ctx = canvas.getContext('2d');
    for (let f = 0; f < length; f++) {
      // a plain street: sky, kerb line, road
      const sky = ctx.createLinearGradient(0, 0, 0, H * 0.4);
      sky.addColorStop(0, '#8fb3d9');
      sky.addColorStop(1, '#d5e3ef');
      ctx.fillStyle = sky;
      ctx.fillRect(0, 0, W, H * 0.4);
      ctx.fillStyle = '#6b6f75';
      ctx.fillRect(0, H * 0.4, W, H * 0.6);
      ctx.fillStyle = '#c9c9bf';
      ctx.fillRect(0, H * 0.4, W, H * 0.02);
      for (let x = 0; x < W; x += W / 8) ctx.fillRect(x + W / 32, H * 0.93, W / 16, H * 0.015);
      const plates: ClipFrame['plates'] = [];
      for (const c of schedule) {
        const pl = placement(c, f);
        if (!pl) continue;
        ctx.drawImage(c.sp.img, pl.x, pl.y, pl.w, pl.h);
        const b = { xmin: pl.x + c.sp.plate.xmin * K, ymin: pl.y + c.sp.plate.ymin * K, xmax: pl.x + c.sp.plate.xmax * K, ymax: pl.y + c.sp.plate.ymax * K };
        const clipped = { xmin: Math.max(0, b.xmin), ymin: Math.max(0, b.ymin), xmax: Math.min(W, b.xmax), ymax: Math.min(H, b.ymax) };
        const visible = Math.max(0, clipped.xmax - clipped.xmin) / (b.xmax - b.xmin);
        if (visible > 0) plates.push({ text: c.sp.text, box: clipped, visible });
      }
      let rgba = ctx.getImageData(0, 0, W, H).data;
      if (o.degrade) rgba = degrade(canvas, o.degrade);
      yield { index: f, timestampMs: (f * 1000) / fps, rgba: new Uint8ClampedArray(rgba), plates };
    }
  }
  return { width: W, height: H, fps, cars, length, frames };
}

/** Blur and darken the frame (a dim, soft camera). */
function degrade(src: Canvas, d: { blurPx: number; brightness: number }): Uint8ClampedArray {
  const c = createCanvas(src.width, src.height);
  const ctx = c.getContext('2d');
  ctx.filter = `blur(${d.blurPx}px) brightness(${d.brightness})`;
  ctx.drawImage(src, 0, 0);
  return ctx.getImageData(0, 0, src.width, src.height).data;
}
