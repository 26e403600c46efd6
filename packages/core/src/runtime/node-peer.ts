/**
 * onnxruntime-node and sharp are optional peer dependencies of @platelens/core (browser apps
 * must not install 300 MB of native code). The Node entry loads them here: when one is missing,
 * a typed error says what to install instead of a bare ERR_MODULE_NOT_FOUND.
 */
import { PlateLensError } from '../errors.ts';

export async function importPeer<T>(name: 'onnxruntime-node' | 'sharp'): Promise<T> {
  try {
    return (await import(name)) as T;
  } catch (e) {
    const code = (e as { code?: string }).code;
    if ((code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && String((e as Error).message).includes(name)) {
      throw new PlateLensError(
        500,
        'BACKEND_UNAVAILABLE',
        `@platelens/core/node needs ${name}, which is not installed: npm install onnxruntime-node sharp`,
      );
    }
    throw e;
  }
}
