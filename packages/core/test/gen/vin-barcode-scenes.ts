/**
 * Door stickers with a real VIN barcode: Code 39 (a third with the 'I' import marker),
 * DataMatrix or QR, made by zxing-wasm's writer (its wasm read from node_modules), drawn
 * module by module onto the generator's sticker. `textless` leaves the VIN text off, so
 * only the barcode carries it.
 *
 *   const s = await generateVinBarcodeScene(8000, { symbology: 'Code39' });
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Rng } from './rng.ts';
import { generateVinScene, randomVin, type VinBarcodeSpec, type VinScene, type VinSceneOptions } from './vin-scenes.ts';

type Symbology = VinBarcodeSpec['format'];
let writer: Promise<typeof import('zxing-wasm/writer')> | null = null;

function zxingWriter() {
  writer ??= (async () => {
    const zx = await import('zxing-wasm/writer');
    const wasm = createRequire(import.meta.url).resolve('zxing-wasm/writer/zxing_writer.wasm');
    await zx.prepareZXingModule({ overrides: { wasmBinary: new Uint8Array(readFileSync(wasm)) }, fireImmediately: true });
    return zx;
  })();
  return writer;
}

export interface VinBarcodeSceneOptions extends Omit<VinSceneOptions, 'kind' | 'barcode' | 'marking'> {
  symbology?: Symbology;
  /** Code 39 only: prefix the 'I' import marker (default: a third of the time). */
  importMarker?: boolean;
  textless?: boolean;
}

export interface VinBarcodeScene extends VinScene {
  symbology: Symbology;
  /** What the barcode encodes (the VIN, maybe after 'I'). */
  encoded: string;
}

export async function generateVinBarcodeScene(seed: number, opts: VinBarcodeSceneOptions = {}): Promise<VinBarcodeScene> {
  // the scene's VIN is the first thing its generator draws (kind given): the same draw here
  const vin = randomVin(new Rng(seed));
  const pick = new Rng(seed * 7919 + 13);
  const r = pick.next();
  const symbology: Symbology = opts.symbology ?? (r < 0.6 ? 'Code39' : r < 0.8 ? 'DataMatrix' : 'QRCode');
  const marker = symbology === 'Code39' && (opts.importMarker ?? pick.chance(1 / 3));
  const encoded = marker ? `I${vin}` : vin;
  const zx = await zxingWriter();
  const w = await zx.writeBarcode(encoded, { format: symbology, withQuietZones: false, forceSquareDataMatrix: true });
  if (w.error) throw new Error(`barcode writer: ${w.error}`);
  const modules = { data: w.symbol.data, width: w.symbol.width, height: w.symbol.height };
  const scene = generateVinScene(seed, {
    ...opts,
    kind: 'door-sticker',
    barcode: { modules, linear: symbology === 'Code39', textless: opts.textless, format: symbology },
  });
  if (scene.vin !== vin) throw new Error('internal: barcode VIN differs from the scene VIN');
  return { ...scene, symbology, encoded };
}
