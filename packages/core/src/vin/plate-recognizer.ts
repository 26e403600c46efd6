/**
 * `toPlateRecognizerVin(response)`: a PlateLens / CarsXE VIN answer in the JSON shape of
 * Plate Recognizer's VIN ID reader, for apps moving from that API: `processing_time`
 * (ms), one result with the VIN's box, `identifier.props.code[]` (the VIN and its
 * alternatives, each `{ value, score }`) and `orientation[]` (`{ value, score }`).
 */
import type { Box, VinResponse } from '../schemas.ts';

export interface PlateRecognizerVinCode {
  value: string;
  score: number;
  /** The candidate's own box (PlateLens extra). */
  box: Box;
}

export interface PlateRecognizerVinResult {
  box: Box;
  score: number;
  identifier: { box: Box; score: number; props: { code: PlateRecognizerVinCode[] } };
  orientation: { value: 'horizontal' | 'vertical'; score: number }[];
}

export interface PlateRecognizerVinResponse {
  processing_time: number;
  timestamp: string;
  results: PlateRecognizerVinResult[];
}

export interface ToPlateRecognizerOptions {
  /** Milliseconds the read took (PlateLens answers do not carry it). Default 0. */
  processingTimeMs?: number;
  /** ISO 8601 timestamp of the read. Default: now. */
  timestamp?: string;
}

export function toPlateRecognizerVin(response: VinResponse, options: ToPlateRecognizerOptions = {}): PlateRecognizerVinResponse {
  const base = {
    processing_time: Math.round((options.processingTimeMs ?? 0) * 1000) / 1000,
    timestamp: options.timestamp ?? new Date().toISOString(),
  };
  if (!response.success || !response.vin) return { ...base, results: [] };
  const candidates = response.candidates.length ? response.candidates : [{ vin: response.vin, confidence: response.confidence, box: response.box }];
  const code = candidates.map((c) => ({ value: c.vin, score: c.confidence, box: c.box }));
  if (code[0].value !== response.vin) code.unshift({ value: response.vin, score: response.confidence, box: response.box });
  const orientation = response.orientation ?? candidates[0].orientation;
  return {
    ...base,
    results: [
      {
        box: response.box,
        score: response.confidence,
        identifier: { box: response.box, score: response.confidence, props: { code } },
        orientation: orientation ? [{ value: orientation, score: response.confidence }] : [],
      },
    ],
  };
}
