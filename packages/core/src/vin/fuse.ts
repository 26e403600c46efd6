/**
 * Barcode + OCR fusion. A VIN barcode read (zxing checks the symbol; the VIN rules check
 * the content) is stronger evidence than OCR; both agreeing is the strongest there is.
 *  - agreement: the OCR candidate, its glyph box, confidence raised to at least AGREE_CONF
 *    and ranked first;
 *  - barcode only: a candidate of its own (its box is the barcode's) at BARCODE_CONF,
 *    ranked above OCR readings that disagree with it.
 */
import type { BarcodeVin } from './barcode.ts';
import type { VinCandidateScored } from './extract.ts';

export const AGREE_CONF = 0.995;
export const BARCODE_CONF = 0.97;
/** Rank above anything OCR alone can reach (confidence ≤ 1 plus its structure bonuses ≤ 0.65). */
const BARCODE_RANK = 3;

export function fuseBarcodes(cands: readonly VinCandidateScored[], bars: readonly BarcodeVin[]): VinCandidateScored[] {
  if (!bars.length) return [...cands];
  const out = [...cands];
  for (const b of bars) {
    const i = out.findIndex((c) => c.vin === b.vin);
    if (i >= 0) {
      const c = out[i];
      out[i] = { ...c, confidence: Math.max(AGREE_CONF, c.confidence), rank: BARCODE_RANK + 1 + c.rank, rulesOk: true, source: 'barcode+ocr' };
    } else {
      out.push({
        vin: b.vin,
        confidence: BARCODE_CONF,
        rank: BARCODE_RANK,
        box: b.box,
        checkDigit: 'valid',
        labelled: false,
        rulesOk: true,
        region: '',
        vertical: b.vertical,
        quad: [],
        inset: [0, 0],
        source: 'barcode',
        weakest: 1,
      });
    }
  }
  return out.sort((a, b) => b.rank - a.rank);
}
