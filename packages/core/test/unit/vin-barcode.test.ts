import { describe, expect, it } from 'vitest';
import { vinsInBarcodeText, type BarcodeVin } from '../../src/vin/barcode.ts';
import { AGREE_CONF, BARCODE_CONF, fuseBarcodes } from '../../src/vin/fuse.ts';
import { extractVins } from '../../src/vin/extract.ts';
import type { ReadChar, ReadLine } from '../../src/text/recognize-text.ts';
import { glyphBox } from '../../src/vin/glyph-box.ts';
import { createImage } from '../../src/image/raw-image.ts';
import { locateLinearBarcodes } from '../../src/vin/barcode-locate.ts';

function line(text: string, prob = 0.95): ReadLine {
  const chars: ReadChar[] = [...text].map((ch, i) => ({
    char: ch,
    prob,
    alts: [],
    frame: i,
    corners: [{ x: 10 * i, y: 100 }, { x: 10 * i + 8, y: 100 }, { x: 10 * i + 8, y: 120 }, { x: 10 * i, y: 120 }],
  }));
  return { quad: [{ x: 0, y: 100 }, { x: 10 * text.length, y: 100 }, { x: 10 * text.length, y: 120 }, { x: 0, y: 120 }], chars, text };
}

const bar = (vin: string): BarcodeVin => ({ vin, format: 'Code39', box: { xmin: 0, ymin: 200, xmax: 300, ymax: 240 }, vertical: false });

describe('VIN barcode text', () => {
  it('strips the Code 39 import marker and keeps only VINs that pass their rules', () => {
    expect(vinsInBarcodeText('I1HGCM82633A004352', 'Code39')).toEqual(['1HGCM82633A004352']);
    expect(vinsInBarcodeText('1HGCM82633A004352', 'Code39')).toEqual(['1HGCM82633A004352']);
    expect(vinsInBarcodeText('1HGCM82643A004352', 'Code39')).toEqual([]); // check digit fails
    expect(vinsInBarcodeText('PART 12345', 'Code39')).toEqual([]);
  });

  it('finds the VIN among the fields of a 2-D code', () => {
    expect(vinsInBarcodeText('VIN:WVWZZZ1JZXW000001;MDL=GOLF;2001', 'QRCode')).toEqual(['WVWZZZ1JZXW000001']);
    expect(vinsInBarcodeText('wvwzzz1jzxw000001', 'DataMatrix')).toEqual(['WVWZZZ1JZXW000001']);
  });
});

describe('barcode + OCR fusion', () => {
  it('agreement: the OCR candidate (its glyph box) first, at the highest confidence', () => {
    const ocr = extractVins([line('1HGCM82633A004352', 0.8), line('4T1BF1FK5CU512349', 0.99)]);
    const fused = fuseBarcodes(ocr, [bar('1HGCM82633A004352')]);
    expect(fused[0].vin).toBe('1HGCM82633A004352');
    expect(fused[0].confidence).toBeGreaterThanOrEqual(AGREE_CONF);
    expect(fused[0].source).toBe('barcode+ocr');
    expect(fused[0].box.ymin).toBe(100); // the printed VIN's box, not the barcode's
  });

  it('a barcode-only read is an answer with its own box, above OCR readings that disagree', () => {
    const ocr = extractVins([line('1HGCM82633A004352')]);
    const fused = fuseBarcodes(ocr, [bar('5YJSA1E11HF000001')]);
    expect(fused[0]).toMatchObject({ vin: '5YJSA1E11HF000001', confidence: BARCODE_CONF, source: 'barcode', box: { ymin: 200 } });
    expect(fused.map((c) => c.vin)).toContain('1HGCM82633A004352');
    expect(fuseBarcodes([], [bar('5YJSA1E11HF000001')])).toHaveLength(1);
  });
});

describe('glyph box', () => {
  it('hugs dark glyphs inside a loose line quad (horizontal and vertical)', () => {
    const img = createImage(200, 200);
    img.data.fill(230);
    // "glyphs": 10 dark bars 6×20 px from x=40 to x=136, y=90..110
    for (let k = 0; k < 10; k++) for (let y = 90; y < 110; y++) for (let x = 40 + 10 * k; x < 46 + 10 * k; x++) img.data.fill(20, (y * 200 + x) * 4, (y * 200 + x) * 4 + 3);
    const b = glyphBox(img, [{ x: 34, y: 80 }, { x: 142, y: 80 }, { x: 142, y: 120 }, { x: 34, y: 120 }], [0.05, 0.05])!;
    expect(b.xmin).toBeGreaterThan(36);
    expect(b.xmin).toBeLessThan(42);
    expect(b.xmax).toBeGreaterThan(134);
    expect(b.xmax).toBeLessThan(141);
    expect(b.ymin).toBeGreaterThan(86);
    expect(b.ymax).toBeLessThan(114);
    // the same glyphs turned 90°: a quad running top → bottom
    const v = createImage(200, 200);
    v.data.fill(230);
    for (let k = 0; k < 10; k++) for (let x = 90; x < 110; x++) for (let y = 40 + 10 * k; y < 46 + 10 * k; y++) v.data.fill(20, (y * 200 + x) * 4, (y * 200 + x) * 4 + 3);
    const bv = glyphBox(v, [{ x: 120, y: 34 }, { x: 120, y: 142 }, { x: 80, y: 142 }, { x: 80, y: 34 }], [0.05, 0.05])!;
    expect(bv.ymin).toBeGreaterThan(36);
    expect(bv.ymax).toBeLessThan(141);
    expect(bv.xmin).toBeGreaterThan(86);
    expect(bv.xmax).toBeLessThan(114);
  });

  it('gives up on a blank quad (the caller keeps the line box)', () => {
    const img = createImage(100, 100);
    img.data.fill(200);
    expect(glyphBox(img, [{ x: 10, y: 40 }, { x: 90, y: 40 }, { x: 90, y: 60 }, { x: 10, y: 60 }])).toBeNull();
  });
});

describe('locateLinearBarcodes: the parallelogram a linear code\'s bars fill', () => {
  /** Random bars 2–6 px wide along a line turned `turnDeg`, the bars themselves leaning `leanDeg` (shear), on grey text-free paper. */
  function bars(turnDeg: number, leanDeg: number) {
    const img = createImage(800, 400);
    const t = (turnDeg * Math.PI) / 180, l = (leanDeg * Math.PI) / 180;
    let seed = 7;
    const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const edges: number[] = [];
    for (let u = 0; u < 500; u += 2 + Math.floor(rnd() * 5)) edges.push(u);
    const cx = 400, cy = 200;
    for (let y = 0; y < 400; y++) {
      for (let x = 0; x < 800; x++) {
        // (x, y) = c + a·(cos t, sin t) + b·(−sin l, cos l), a ∈ [−250, 250] along the code, b ∈ [−30, 30] along its bars
        const dx = x - cx, dy = y - cy;
        const det = Math.cos(t) * Math.cos(l) + Math.sin(t) * Math.sin(l);
        const a = (dx * Math.cos(l) + dy * Math.sin(l)) / det, b = (Math.cos(t) * dy - Math.sin(t) * dx) / det;
        let dark = false;
        if (Math.abs(b) < 30 && a > -250 && a < 250) {
          const k = edges.findIndex((e) => e > a + 250);
          dark = k > 0 && k % 2 === 1;
        }
        const i = (y * 800 + x) * 4;
        img.data[i] = img.data[i + 1] = img.data[i + 2] = dark ? 40 : 215;
        img.data[i + 3] = 255;
      }
    }
    return img;
  }
  it.each([
    [0, 0],
    [-6, 0],
    [5, 5],
    [-5, 0.5],
  ])('turned %d°, bars leaning %d°: the quad runs along the code and covers its ends', (turn, lean) => {
    const [q] = locateLinearBarcodes(bars(turn, lean));
    expect(q).toBeDefined();
    const along = (Math.atan2(q[1].y - q[0].y, q[1].x - q[0].x) * 180) / Math.PI;
    expect(Math.abs(along - turn)).toBeLessThan(2);
    const length = Math.hypot(q[1].x - q[0].x, q[1].y - q[0].y);
    expect(length).toBeGreaterThan(500); // the 500-px code plus its quiet zones
    expect(length).toBeLessThan(620);
  });

  it('finds nothing on a picture without bars', () => {
    const img = createImage(640, 360);
    img.data.fill(200);
    expect(locateLinearBarcodes(img)).toEqual([]);
  });
});
