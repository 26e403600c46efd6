import { describe, expect, it } from 'vitest';
import { minAreaRect, quadBounds, rectCorners } from '../../src/text/geometry.ts';
import { dbPostprocess, unclip } from '../../src/text/db-postprocess.ts';
import { detInputSize, scaleRect } from '../../src/text/detect-text.ts';
import { createImage, crop, resize, rotate90, warpQuad } from '../../src/image/raw-image.ts';

describe('rotated rectangles', () => {
  it('recovers a rotated rectangle from its points, long side first, reading rightwards', () => {
    const a = (20 * Math.PI) / 180;
    const pts = [];
    for (let u = -50; u <= 50; u += 5) for (let v = -10; v <= 10; v += 5) {
      pts.push({ x: 100 + u * Math.cos(a) - v * Math.sin(a), y: 60 + u * Math.sin(a) + v * Math.cos(a) });
    }
    const r = minAreaRect(pts);
    expect(r.length).toBeCloseTo(100, 5);
    expect(r.thickness).toBeCloseTo(20, 5);
    expect(r.cx).toBeCloseTo(100, 5);
    expect(r.ux).toBeCloseTo(Math.cos(a), 5);
    const [tl, tr] = rectCorners(r);
    expect(tr.x).toBeGreaterThan(tl.x); // reading order left → right
  });

  it('points a vertical line downwards (text turned 90° clockwise)', () => {
    const r = minAreaRect([{ x: 0, y: 0 }, { x: 10, y: 0 }, { x: 10, y: 100 }, { x: 0, y: 100 }]);
    expect(r.uy).toBeCloseTo(1);
    const [tl, , , bl] = rectCorners(r);
    expect(tl).toEqual({ x: 10, y: 0 });
    expect(bl).toEqual({ x: 0, y: 0 });
  });

  it('unclip grows each side by area·ratio/perimeter', () => {
    const r = unclip({ cx: 0, cy: 0, ux: 1, uy: 0, length: 100, thickness: 10 }, 1.5);
    const d = (100 * 10 * 1.5) / 220;
    expect(r.length).toBeCloseTo(100 + 2 * d);
    expect(r.thickness).toBeCloseTo(10 + 2 * d);
  });

  it('maps a rect from detector-map pixels to original pixels (anisotropic scale)', () => {
    const r = scaleRect({ cx: 10, cy: 10, ux: 1, uy: 0, length: 20, thickness: 4 }, 2, 3);
    expect(r).toMatchObject({ cx: 20, cy: 30, ux: 1, uy: 0, length: 40, thickness: 12 });
    expect(quadBounds(rectCorners(r))).toEqual({ xmin: 0, xmax: 40, ymin: 24, ymax: 36 });
  });

  it('sizes the detector input to multiples of 32 without upscaling more than 2×', () => {
    expect(detInputSize(1280, 720, 960)).toEqual({ w: 960, h: 544 });
    expect(detInputSize(100, 50, 960)).toEqual({ w: 192, h: 96 });
  });
});

describe('DB post-processing', () => {
  it('finds two text blobs with their sizes and scores', () => {
    const W = 64, H = 32;
    const prob = new Float32Array(W * H);
    const fill = (x0: number, y0: number, w: number, h: number, p: number) => {
      for (let y = y0; y < y0 + h; y++) for (let x = x0; x < x0 + w; x++) prob[y * W + x] = p;
    };
    fill(4, 4, 40, 6, 0.9);
    fill(10, 20, 20, 5, 0.8);
    fill(50, 20, 2, 2, 0.9); // too small: dropped
    const regions = dbPostprocess(prob, W, H, { binThreshold: 0.3, boxThreshold: 0.6, unclipRatio: 0, minSize: 3, maxCandidates: 10 });
    expect(regions).toHaveLength(2);
    expect(regions[0].score).toBeCloseTo(0.9);
    expect(regions[0].rect.length).toBeCloseTo(40);
    expect(regions[0].rect.thickness).toBeCloseTo(6);
    expect(regions[1].rect.cx).toBeCloseTo(20);
  });
});

describe('pixel operations', () => {
  const img = createImage(4, 2);
  img.data.set([1, 0, 0, 255, 2, 0, 0, 255, 3, 0, 0, 255, 4, 0, 0, 255, 5, 0, 0, 255, 6, 0, 0, 255, 7, 0, 0, 255, 8, 0, 0, 255]);
  const reds = (i: { data: Uint8ClampedArray }) => [...i.data].filter((_, k) => k % 4 === 0);

  it('rotates 90° both ways', () => {
    expect(reds(rotate90(img, 'cw'))).toEqual([5, 1, 6, 2, 7, 3, 8, 4]);
    expect(reds(rotate90(img, 'ccw'))).toEqual([4, 8, 3, 7, 2, 6, 1, 5]);
  });

  it('crops and resizes', () => {
    expect(reds(crop(img, 1, 0, 2, 2))).toEqual([2, 3, 6, 7]);
    expect(resize(img, 8, 4).width).toBe(8);
    expect(reds(resize(img, 2, 1))).toEqual([3.5, 5.5].map((v) => Math.round(v)));
  });

  it('warps an axis-aligned quad to the same pixels', () => {
    const q = [{ x: 0, y: 0 }, { x: 4, y: 0 }, { x: 4, y: 2 }, { x: 0, y: 2 }];
    expect(reds(warpQuad(img, q, 4, 2))).toEqual(reds(img));
  });
});
