/**
 * Latest-frame-wins scheduling: one frame runs at a time; while it runs, at most one frame
 * waits, and a newer frame replaces the waiting one (which is released — a VideoFrame or
 * ImageBitmap closed — and answered as dropped). A slow recogniser therefore never builds a
 * queue: live video stays live, at whatever rate the recogniser sustains.
 */
export type Scheduled<R> = { dropped: false; value: R } | { dropped: true };

export class LatestFrameScheduler<F, R> {
  private running = false;
  private waiting: { frame: F; resolve: (r: Scheduled<R>) => void; reject: (e: unknown) => void } | null = null;
  private idle: (() => void)[] = [];
  private readonly run: (frame: F) => Promise<R>;
  private readonly release: (frame: F) => void;

  constructor(run: (frame: F) => Promise<R>, release: (frame: F) => void = () => undefined) {
    this.run = run;
    this.release = release;
  }

  /** Frames waiting to run: 0 or 1, never more. */
  get pending(): number {
    return this.waiting ? 1 : 0;
  }

  get busy(): boolean {
    return this.running;
  }

  submit(frame: F): Promise<Scheduled<R>> {
    return new Promise((resolve, reject) => {
      if (!this.running) return this.start(frame, resolve, reject);
      const old = this.waiting;
      this.waiting = { frame, resolve, reject };
      if (old) {
        this.release(old.frame);
        old.resolve({ dropped: true });
      }
    });
  }

  /** Drops the waiting frame (if any); resolves once the running one has finished. */
  async drain(): Promise<void> {
    const w = this.waiting;
    this.waiting = null;
    if (w) {
      this.release(w.frame);
      w.resolve({ dropped: true });
    }
    if (this.running) await new Promise<void>((r) => this.idle.push(r));
  }

  private start(frame: F, resolve: (r: Scheduled<R>) => void, reject: (e: unknown) => void): void {
    this.running = true;
    let p: Promise<R>;
    try {
      p = this.run(frame);
    } catch (e) {
      p = Promise.reject(e);
    }
    p.then((value) => resolve({ dropped: false, value }), reject).finally(() => {
      this.running = false;
      const next = this.waiting;
      this.waiting = null;
      if (next) this.start(next.frame, next.resolve, next.reject);
      else for (const r of this.idle.splice(0)) r();
    });
  }
}

/** Effective frame rate: frames finished in the last `windowMs` of wall-clock time. */
export class RateMeter {
  private times: number[] = [];
  private readonly windowMs: number;

  constructor(windowMs = 2000) {
    this.windowMs = windowMs;
  }

  tick(nowMs: number): void {
    this.times.push(nowMs);
    while (this.times.length && this.times[0] < nowMs - this.windowMs) this.times.shift();
  }

  /** Frames per second over the window (0 before two frames have finished). */
  rate(nowMs: number): number {
    const t = this.times.filter((x) => x >= nowMs - this.windowMs);
    if (t.length < 2) return 0;
    const span = Math.max(nowMs - t[0], t[t.length - 1] - t[0]);
    return span > 0 ? ((t.length - 1) * 1000) / span : 0;
  }
}
