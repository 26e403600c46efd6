/**
 * CarsXE response shapes (POST /v1/vinocr, POST /platerecognition) as zod schemas.
 * Local results and cloud replies are both parsed with these, so an app sees one shape.
 * Optional fields are optional exactly where CarsXE may leave them out.
 */
import './zod-jitless.ts'; // first: before any schema is built
import { z } from 'zod';

export const BoxSchema = z.object({
  xmin: z.number(),
  ymin: z.number(),
  xmax: z.number(),
  ymax: z.number(),
});
export type Box = z.infer<typeof BoxSchema>;

const unit = z.number().min(0).max(1);

/** Which way the VIN's characters run in the image (PlateLens extra, as Plate Recognizer's VIN ID reports). */
export const VinOrientationSchema = z.enum(['horizontal', 'vertical']);
export type VinOrientation = z.infer<typeof VinOrientationSchema>;

export const VinCandidateSchema = z.object({
  vin: z.string(),
  confidence: unit,
  box: BoxSchema,
  /** PlateLens extra (not in CarsXE's reply). */
  orientation: VinOrientationSchema.optional(),
});

export const VinResponseSchema = z.object({
  success: z.boolean(),
  vin: z.string(),
  box: BoxSchema,
  confidence: unit,
  candidates: z.array(VinCandidateSchema),
  /** PlateLens extra (not in CarsXE's reply): which way the VIN runs in the image. */
  orientation: VinOrientationSchema.optional(),
  /** Where the answer came from; added by @platelens/cloud's fallback, absent otherwise. */
  source: z.enum(['local', 'cloud']).optional(),
});
export type VinResponse = z.infer<typeof VinResponseSchema>;
export type VinCandidate = z.infer<typeof VinCandidateSchema>;

export const PlateCandidateSchema = z.object({ score: unit, plate: z.string() });

export const PlateRegionSchema = z.object({ code: z.string(), score: unit });

export const VehicleSchema = z.object({
  score: unit,
  type: z.string(),
  box: BoxSchema,
});

export const PlateResultSchema = z.object({
  box: BoxSchema,
  plate: z.string(),
  region: PlateRegionSchema.optional(),
  score: unit,
  candidates: z.array(PlateCandidateSchema).optional(),
  dscore: unit.optional(),
  vehicle: VehicleSchema.optional(),
});
export type PlateResult = z.infer<typeof PlateResultSchema>;

export const PlateResponseSchema = z.object({
  success: z.boolean(),
  message: z.string().optional(),
  results: z.array(PlateResultSchema),
  processing_time: z.number().optional(),
  source: z.enum(['local', 'cloud']).optional(),
});
export type PlateResponse = z.infer<typeof PlateResponseSchema>;

export const ErrorResponseSchema = z.object({
  success: z.literal(false),
  message: z.string(),
  status: z.number().int().optional(),
});
export type ErrorResponse = z.infer<typeof ErrorResponseSchema>;
