/**
 * Float32Arrays reused across calls, by length. A model input of a few MB allocated fresh on
 * every call is memory the OS maps in page by page as the first writes touch it: 6–7 ms per
 * 2.4 MB detector input on this project's VM (0.5 ms when the same buffer is written again).
 * A taken buffer is out of the pool until given back, so concurrent calls never share one.
 */
export class FloatPool {
  private readonly free = new Map<number, Float32Array[]>();
  private readonly keepPerLength: number;

  constructor(keepPerLength = 2) {
    this.keepPerLength = keepPerLength;
  }

  /** A buffer of length `n` (its old contents: the caller overwrites every element). */
  take(n: number): Float32Array {
    return this.free.get(n)?.pop() ?? new Float32Array(n);
  }

  /** Back to the pool once nothing reads it any more (after the run that used it). */
  give(a: Float32Array): void {
    const list = this.free.get(a.length) ?? [];
    if (list.length < this.keepPerLength && !list.includes(a)) list.push(a);
    this.free.set(a.length, list);
  }
}
