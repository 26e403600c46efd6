import type { Plugin } from 'vite';

export interface PlatelensModelsOptions {
  /** Which models to serve and emit (default both): `vin` = text-det, vin-reader, text-rec; `plate` = plate-detector, plate-reader. */
  tasks?: ('vin' | 'plate')[];
  /** Folder under the app's base (default `models`): match it with createRecognizer's `modelBaseUrl`. */
  path?: string;
}

/** Serves the models in `vite dev` and copies them into the build. */
export default function platelensModels(options?: PlatelensModelsOptions): Plugin;
