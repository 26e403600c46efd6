/**
 * No call hangs when the worker goes away: dispose(), terminate() and an uncaught
 * error in the worker mid-call each settle every pending promise with a typed error
 * within 2 s, and later calls fail typed at once.
 */
import { expect, test, type Page } from '@playwright/test';
import { renderVinLabel } from '../../packages/core/test/fixtures/render.ts';

const VIN = '1HGCM82633A004352';
const PNG = renderVinLabel(VIN, { width: 960, height: 540 }).toString('base64');

type Ending = 'dispose' | 'terminate' | 'crash';

interface Outcome {
  settled: number;
  calls: number;
  codes: string[];
  names: string[];
  /** ms from the ending to the last pending promise settling */
  settleMs: number;
  disposeMs: number;
  after: string;
  afterMs: number;
}

async function endMidCall(page: Page, ending: Ending): Promise<Outcome> {
  await page.goto('/');
  await expect(page.locator('#status')).toHaveText('ready');
  return page.evaluate(
    async ({ b64, ending }) => {
      const worker = window.testWorker();
      const r = await window.platelens.createRecognizer({ backend: 'wasm', tasks: ['vin'], modelBaseUrl: '/', worker });
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      // crash: the worker throws when the second call reaches it (the first may be answered)
      if (ending === 'crash') worker.postMessage({ platelensTestCrashOnMessage: 2 });
      const calls = Array.from({ length: 8 }, () => r.readVin(bytes.slice()));
      const outcomes: { code?: string; name?: string }[] = [];
      let settled = 0;
      let lastSettle = 0;
      const watched = calls.map((p) =>
        p.then(
          (v) => ({ code: `ok:${v.vin}`, name: 'ok' }),
          (e) => ({ code: e?.code, name: e?.name }),
        ).then((o) => {
          settled++;
          lastSettle = performance.now();
          outcomes.push(o);
        }),
      );
      await new Promise((res) => setTimeout(res, 150)); // the first call is inside the pipeline now
      const t0 = performance.now();
      let disposeMs = 0;
      if (ending === 'dispose') {
        await r.dispose();
        disposeMs = performance.now() - t0;
      } else if (ending === 'terminate') {
        worker.terminate();
      }
      await Promise.race([Promise.all(watched), new Promise((res) => setTimeout(res, 5000))]);
      const settleMs = lastSettle - t0;
      const a0 = performance.now();
      const after = await Promise.race([
        r.readVin(bytes.slice()).then(
          () => 'resolved',
          (e) => `${e.name}:${e.code}`,
        ),
        new Promise<string>((res) => setTimeout(() => res('hung'), 5000)),
      ]);
      const afterMs = performance.now() - a0;
      if (ending !== 'dispose') {
        const d0 = performance.now();
        await r.dispose();
        disposeMs = performance.now() - d0;
      }
      return {
        settled,
        calls: calls.length,
        codes: outcomes.map((o) => o.code!),
        names: outcomes.map((o) => o.name!),
        settleMs,
        disposeMs,
        after,
        afterMs,
      };
    },
    { b64: PNG, ending },
  );
}

const cases: { ending: Ending; code: string; after: string }[] = [
  { ending: 'dispose', code: 'DISPOSED', after: 'PlateLensError:DISPOSED' },
  { ending: 'terminate', code: 'WORKER_GONE', after: 'PlateLensError:WORKER_GONE' },
  { ending: 'crash', code: 'WORKER_GONE', after: 'PlateLensError:WORKER_GONE' },
];

for (const c of cases) {
  test(`${c.ending} with 8 calls in flight: every promise settles typed within 2 s`, async ({ page }) => {
    const out = await endMidCall(page, c.ending);
    expect(out.settled).toBe(out.calls);
    // a call that finished before the ending may have its answer; every other one is typed
    const failed = out.codes.filter((k) => !k.startsWith('ok:'));
    expect(failed.length).toBeGreaterThanOrEqual(out.calls - 1);
    for (const k of failed) expect(k).toBe(c.code);
    for (const k of out.codes.filter((k) => k.startsWith('ok:'))) expect(k).toBe(`ok:${VIN}`);
    expect(out.names.filter((n) => n !== 'ok').every((n) => n === 'PlateLensError')).toBe(true);
    expect(out.settleMs).toBeLessThan(2000);
    expect(out.disposeMs).toBeLessThan(2000);
    expect(out.after).toBe(c.after);
    expect(out.afterMs).toBeLessThan(100);
  });
}

test('a worker whose script cannot load: createRecognizer rejects WORKER_GONE instead of hanging', async ({ page }) => {
  await page.goto('/');
  await expect(page.locator('#status')).toHaveText('ready');
  const out = await page.evaluate(async () => {
    const t0 = performance.now();
    const worker = new Worker('/no-such-worker.js', { type: 'module' });
    const e = await Promise.race([
      window.platelens.createRecognizer({ backend: 'wasm', tasks: ['vin'], modelBaseUrl: '/', worker }).then(
        () => null,
        (e) => e,
      ),
      new Promise((res) => setTimeout(() => res('hung'), 10_000)),
    ]);
    return { code: (e as { code?: string })?.code, ms: performance.now() - t0 };
  });
  expect(out.code).toBe('WORKER_GONE');
  expect(out.ms).toBeLessThan(2000);
});
