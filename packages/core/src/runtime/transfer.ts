/**
 * Comlink keeps only name/message/stack of a thrown Error. This wraps its 'throw'
 * handler so a PlateLensError crosses the worker boundary with `status` and `code`
 * and is rethrown as a real PlateLensError on the other side. Install on both sides.
 */
import * as Comlink from 'comlink';
import { PlateLensError, type PlateLensErrorData } from '../errors.ts';

type Thrown = { value: unknown };
type Serialized = { isError: boolean; value: unknown };

let installed = false;

export function installErrorTransfer(): void {
  if (installed) return;
  installed = true;
  const base = Comlink.transferHandlers.get('throw') as Comlink.TransferHandler<Thrown, Serialized>;
  Comlink.transferHandlers.set('throw', {
    canHandle: (v: unknown): v is Thrown => base.canHandle(v),
    serialize(thrown: Thrown) {
      const e = thrown.value;
      if (e instanceof PlateLensError) return [{ isError: true, value: { ...e.toJSON(), stack: e.stack } }, []];
      return base.serialize(thrown);
    },
    deserialize(s: Serialized) {
      const v = s.value as Partial<PlateLensErrorData> | undefined;
      if (s.isError && v?.name === 'PlateLensError') throw PlateLensError.from(v as PlateLensErrorData);
      return base.deserialize(s);
    },
  } as Comlink.TransferHandler<unknown, unknown>);
}
