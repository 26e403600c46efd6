import { describe, expect, it } from 'vitest';
import { VinResponseSchema, type VinResponse } from '../../src/schemas.ts';
import { toPlateRecognizerVin } from '../../src/vin/plate-recognizer.ts';

const res: VinResponse = {
  success: true,
  vin: '1HGCM82633A004352',
  box: { xmin: 10, ymin: 20, xmax: 300, ymax: 50 },
  confidence: 0.98,
  orientation: 'vertical',
  candidates: [
    { vin: '1HGCM82633A004352', confidence: 0.98, box: { xmin: 10, ymin: 20, xmax: 300, ymax: 50 }, orientation: 'vertical' },
    { vin: '4T1BF1FK5CU512349', confidence: 0.4, box: { xmin: 10, ymin: 80, xmax: 300, ymax: 110 }, orientation: 'vertical' },
  ],
};

describe('toPlateRecognizerVin', () => {
  it('gives Plate Recognizer VIN ID’s shape: processing_time, results[].identifier.props.code[].value, orientation[].value', () => {
    const pr = toPlateRecognizerVin(res, { processingTimeMs: 123.4567, timestamp: '2026-01-01T00:00:00.000Z' });
    expect(pr.processing_time).toBe(123.457);
    expect(pr.timestamp).toBe('2026-01-01T00:00:00.000Z');
    expect(pr.results).toHaveLength(1);
    const [r] = pr.results;
    expect(r.box).toEqual(res.box);
    expect(r.identifier.props.code.map((c) => c.value)).toEqual(['1HGCM82633A004352', '4T1BF1FK5CU512349']);
    expect(r.identifier.props.code[1]).toMatchObject({ score: 0.4, box: { ymin: 80 } });
    expect(r.orientation).toEqual([{ value: 'vertical', score: 0.98 }]);
  });

  it('keeps the CarsXE answer itself unchanged (orientation is an optional extra field)', () => {
    const { orientation, ...carsxe } = res;
    expect(VinResponseSchema.strict().parse(carsxe)).toEqual(carsxe);
    expect(orientation).toBe('vertical');
    expect(toPlateRecognizerVin({ ...carsxe, candidates: carsxe.candidates.map(({ orientation: _, ...c }) => c) }).results[0].orientation).toEqual([]);
  });

  it('answers no results for an unsuccessful response', () => {
    expect(toPlateRecognizerVin({ ...res, success: false, vin: '' }).results).toEqual([]);
  });
});
