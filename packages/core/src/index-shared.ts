/** Exports common to the browser and Node entries. */
export * from './schemas.ts';
export { PlateLensError, type PlateLensErrorCode, type PlateLensErrorData } from './errors.ts';
export type { ImageInput, Recognizer, RecognizerOptions, VideoRecognizer } from './api.ts';
export type * from './video/types.ts';
export type { PlateTrackerOptions, VinTrackerOptions, RegionOfInterest } from './video/video-options.ts';
/** Browser only: feed a <video> to a tracker frame by frame (requestVideoFrameCallback). */
export { watchVideo } from './video/watch-video.ts';
export type { CreateOptions, VinCallOptions, PlateCallOptions } from './options.ts';
export type { Backend, BackendPreference } from './runtime/engine.ts';
export type { ProgressEvent, ProgressCallback } from './runtime/model-fetch.ts';
export { isCheckDigitValid, computeCheckDigit } from './vin/check-digit.ts';
export { decodeVin, type DecodedVin } from './vin/decode.ts';
export { passesRules, ruleViolations, rulesForRegion, regionOfWmi, type VinRules, type RuleViolation } from './vin/regions.ts';
export { toPlateRecognizerVin, type PlateRecognizerVinResponse, type ToPlateRecognizerOptions } from './vin/plate-recognizer.ts';
export { bytesToBase64, parseImageString, wireFromUrl } from './image/input.ts';
export { TASK_MODELS, type Task } from './runtime/manifest.ts';
