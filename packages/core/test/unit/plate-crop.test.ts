import { describe, expect, it } from 'vitest';
import { createImage, crop, type RawImage } from '../../src/image/raw-image.ts';
import { boxIn, boxTilt, cropFootprint, hconcat, oneRowCrop, twoRowCrop, type LineLayout } from '../../src/plate/plate-crop.ts';

const L: LineLayout = { width: 160, height: 48, margin: [0.06, 0.12], rowOverlap: 0.06 };

function fill(img: RawImage, f: (x: number, y: number) => [number, number, number]) {
  for (let y = 0; y < img.height; y++) for (let x = 0; x < img.width; x++) {
    const [r, g, b] = f(x, y);
    img.data.set([r, g, b, 255], (y * img.width + x) * 4);
  }
  return img;
}
const px = (img: RawImage, x: number, y: number) => Array.from(img.data.subarray((y * img.width + x) * 4, (y * img.width + x) * 4 + 3));

/** A white plate with a row of dark "glyphs" (vertical bars), the whole plate turned by `deg`. */
function tiltedPlate(deg: number): RawImage {
  const a = (deg * Math.PI) / 180, cx = 200, cy = 100;
  return fill(createImage(400, 200), (x, y) => {
    // plate coordinates (u along the text, v across)
    const u = (x - cx) * Math.cos(a) + (y - cy) * Math.sin(a);
    const v = -(x - cx) * Math.sin(a) + (y - cy) * Math.cos(a);
    if (Math.abs(u) > 130 || Math.abs(v) > 30) return [90, 90, 90];
    const glyph = Math.abs(v) < 20 && Math.abs(u) < 115 && ((u + 200) % 32) < 9;
    return glyph ? [20, 20, 20] : [235, 235, 235];
  });
}

describe('plate crops', () => {
  it('lays a two-row plate out as one line: top half left, bottom half right', () => {
    const img = fill(createImage(100, 80), (_, y) => (y < 40 ? [255, 0, 0] : [0, 0, 255]));
    const line = twoRowCrop(img, { xmin: 10, ymin: 10, xmax: 90, ymax: 70 }, L);
    expect([line.width, line.height]).toEqual([160, 48]);
    expect(px(line, 40, 5)).toEqual([255, 0, 0]); // top of the left half: top row
    expect(px(line, 120, 42)).toEqual([0, 0, 255]); // bottom of the right half: bottom row
    // each half reaches a little past the middle (glyphs cut by a loose box stay whole)
    expect(px(line, 40, 46)[2]).toBeGreaterThan(200);
    expect(px(line, 120, 1)[0]).toBeGreaterThan(200);
  });

  it('adds the margin around the box', () => {
    const img = fill(createImage(200, 100), (x, y) => (x >= 50 && x < 150 && y >= 25 && y < 75 ? [255, 255, 255] : [0, 0, 0]));
    const c = oneRowCrop(img, { xmin: 50, ymin: 25, xmax: 150, ymax: 75 }, L);
    expect(px(c, 2, 24)[0]).toBe(0); // 6 % margin left of the box is outside the plate
    expect(px(c, 80, 2)[0]).toBe(0); // 12 % above
    expect(px(c, 80, 24)[0]).toBe(255);
  });

  it('concatenates images of the same height and refuses others', () => {
    const a = fill(createImage(2, 3), () => [1, 2, 3]);
    const b = fill(createImage(4, 3), () => [4, 5, 6]);
    const c = hconcat(a, b);
    expect([c.width, c.height]).toEqual([6, 3]);
    expect(px(c, 1, 2)).toEqual([1, 2, 3]);
    expect(px(c, 2, 2)).toEqual([4, 5, 6]);
    expect(() => hconcat(a, createImage(4, 2))).toThrow(RangeError);
  });

  it.each([-9, -4, 0, 5, 9])('measures an in-plane tilt of %i° and the turned crop is level', (deg) => {
    const img = tiltedPlate(deg);
    const box = { xmin: 60, ymin: 60, xmax: 340, ymax: 140 };
    const t = (boxTilt(oneRowCrop(img, box, L), box, L) * 180) / Math.PI;
    expect(Math.abs(t - deg)).toBeLessThanOrEqual(2.5);
    if (deg === 0) expect(t).toBe(0);
  });
});

describe('plate crops from a region of the picture (the browser reads only plate regions)', () => {
  // noise, so a crop sampling one wrong pixel differs
  const picture = fill(createImage(640, 360), (x, y) => [(x * 37 + y * 11) % 251, (x * 7 + y * 53) % 241, (x * y) % 239]);
  const boxes = [
    { xmin: 200, ymin: 150, xmax: 360, ymax: 190 }, // a one-row plate
    { xmin: 300, ymin: 100, xmax: 360, ymax: 150 }, // a squarish, maybe two-row one: its tilt turns it furthest
    { xmin: 0, ymin: 320, xmax: 120, ymax: 360 }, // at the corner: the region is clipped like the picture
  ];
  it.each(boxes.map((b, i) => [i, b] as const))('box %i: the same crops at every tilt', (_, box) => {
    const r = cropFootprint(box, L, picture.width, picture.height);
    expect(r.width * r.height).toBeLessThan(picture.width * picture.height);
    const patch = crop(picture, r.x, r.y, r.width, r.height);
    const local = boxIn(box, r.x, r.y);
    const turn = Math.atan((Math.tan((12 * Math.PI) / 180) * (box.ymax - box.ymin) * 1.24 * L.width) / (L.height * (box.xmax - box.xmin) * 1.12));
    for (const angle of [0, turn, -turn, turn / 2]) {
      const maxDiff = (a: RawImage, b: RawImage) => a.data.reduce((m, v, i) => Math.max(m, Math.abs(v - b.data[i])), 0);
      expect(maxDiff(oneRowCrop(patch, local, L, angle), oneRowCrop(picture, box, L, angle))).toBeLessThanOrEqual(1);
      expect(maxDiff(twoRowCrop(patch, local, L, angle), twoRowCrop(picture, box, L, angle))).toBeLessThanOrEqual(1);
    }
  });
});
