/**
 * The hostile corpus (packages/core/test/fixtures/hostile-corpus.ts) through the browser
 * worker: each input ends within 10 s as a typed error or the right VIN, the renderer's
 * memory stays bounded, and the same worker then reads a good image. The page's renderer
 * RSS is sampled from /proc; the table goes to bench-results/hostile-browser.md.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { CORPUS_VIN, corpusTable, hostileCorpus } from '../../packages/core/test/fixtures/hostile-corpus.ts';
import { renderVinLabel } from '../../packages/core/test/fixtures/render.ts';

const MB = 1024 * 1024;

/** RSS (MB) of the Chromium renderer processes started by this test process. */
function rendererRssMB(): number {
  const parent = new Map<number, number>();
  const renderers: number[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      parent.set(Number(d), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
      if (readFileSync(`/proc/${d}/cmdline`, 'utf8').includes('--type=renderer')) renderers.push(Number(d));
    } catch {
      // gone meanwhile
    }
  }
  const mine = (pid: number) => {
    for (let p = pid, n = 0; p > 1 && n < 20; p = parent.get(p) ?? 0, n++) if (p === process.pid) return true;
    return false;
  };
  let kb = 0;
  for (const pid of renderers.filter(mine)) {
    try {
      kb += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
    } catch {
      // gone
    }
  }
  return (kb * 1024) / MB;
}

test('hostile corpus in the worker: typed error or the right VIN within 10 s each, renderer < 2 GB, then a good image', async ({ page }) => {
  test.setTimeout(600_000);
  const { cases, good } = await hostileCorpus();
  expect(cases.length).toBeGreaterThanOrEqual(60);
  await page.goto('/');
  await expect(page.locator('#status')).toHaveText('ready');
  await page.evaluate(async () => {
    // a 2 MP decode budget (default 16): the 50 MP JPEG and the pixel buffer are over it.
    // A blank image costs the VIN pipeline every pass (640, 960, turned 960): at 4 MP that
    // took 9.4 s here on 2 cores shared with other jobs, at 2 MP it stays well inside 10 s
    (window as any).__rec = await window.platelens.createRecognizer({ backend: 'wasm', tasks: ['vin'], modelBaseUrl: '/', maxDecodePixels: 2_000_000 });
  });
  const rows = [];
  let peakAll = 0;
  try {
    for (const [i, c] of cases.entries()) {
      const arg =
        c.input.kind === 'bytes'
          ? { kind: 'bytes', b64: Buffer.from(c.input.bytes).toString('base64'), blob: i % 2 === 1 }
          : c.input.kind === 'string'
            ? { kind: 'string', text: c.input.text }
            : { ...c.input };
      let peak = rendererRssMB();
      const sampler = setInterval(() => (peak = Math.max(peak, rendererRssMB())), 25);
      const o = await page.evaluate(async (a: any) => {
        const r = (window as any).__rec as import('@platelens/core').Recognizer;
        let input: unknown;
        if (a.kind === 'string') input = a.text;
        else if (a.kind === 'pixels') {
          input = a.dataNull ? { data: null, width: a.width, height: a.height } : { data: new Uint8ClampedArray(a.length).fill(a.fill ?? 0), width: a.width, height: a.height };
        } else {
          const bytes = Uint8Array.from(atob(a.b64), (ch) => ch.charCodeAt(0));
          input = a.blob ? new Blob([bytes]) : bytes;
        }
        const t0 = performance.now();
        const out = await Promise.race([
          r.readVin(input as never).then(
            (v) => ({ vin: v.vin }),
            (e) => ({ status: e?.status, code: e?.code, typed: e?.name === 'PlateLensError', message: String(e?.message) }),
          ),
          new Promise<{ timedOut: true }>((res) => setTimeout(() => res({ timedOut: true }), 10_000)),
        ]);
        return { ...out, ms: performance.now() - t0 };
      }, arg);
      clearInterval(sampler);
      peak = Math.max(peak, rendererRssMB());
      peakAll = Math.max(peakAll, peak);
      const outcome = 'vin' in o ? `VIN ${o.vin === CORPUS_VIN ? 'ok' : o.vin}` : 'timedOut' in o ? 'TIMEOUT' : `${o.status} ${o.code}`;
      rows.push({ name: c.name, outcome, ms: o.ms, peakMB: peak, o, c });
    }
    const after = await page.evaluate(async (b64) => {
      const r = (window as any).__rec as import('@platelens/core').Recognizer;
      const v = await r.readVin(Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0)));
      await r.dispose();
      return v.vin;
    }, Buffer.from(good).toString('base64'));
    expect(after).toBe(CORPUS_VIN);
  } finally {
    mkdirSync('bench-results', { recursive: true });
    writeFileSync(join('bench-results', 'hostile-browser.md'), corpusTable(`Browser worker, Chromium WASM (${rows.length} inputs; peak = renderer RSS sampled every 25 ms)`, rows));
  }
  for (const { c, o } of rows) {
    const where = `${c.name}: ${JSON.stringify(o)}`;
    expect('timedOut' in o, where).toBe(false);
    expect(o.ms, where).toBeLessThan(10_000);
    if ('vin' in o) {
      expect(c.expect, where).not.toBe('error');
      expect(o.vin, where).toBe(CORPUS_VIN);
    } else {
      expect(c.expect, where).not.toBe('vin');
      const e = o as { typed: boolean; status: number; code: string };
      expect(e.typed, where).toBe(true);
      expect(e.status, where).toBeGreaterThanOrEqual(400);
      expect(e.status, where).toBeLessThan(500);
      expect(typeof e.code, where).toBe('string');
    }
  }
  expect(peakAll).toBeLessThan(2048);
});

test('over maxDecodePixels the worker decodes downscaled and answers boxes in source pixels (EXIF-rotated too)', async ({ page }) => {
  const sharp = (await import('sharp')).default;
  const good = renderVinLabel(CORPUS_VIN, { width: 800, height: 450 }); // the corpus' good image
  const big = await sharp(good).resize(4000, 2250).png().toBuffer(); // 5× the 800×450 label
  const turned = await sharp(big).rotate(-90).jpeg({ quality: 90 }).withMetadata({ orientation: 6 }).toBuffer();
  await page.goto('/');
  await expect(page.locator('#status')).toHaveText('ready');
  const out = await page.evaluate(
    async ({ good, big, turned }) => {
      const bytes = (b64: string) => Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0));
      const full = await window.platelens.createRecognizer({ backend: 'wasm', tasks: ['vin'], modelBaseUrl: '/' });
      const ref = await full.readVin(bytes(good));
      await full.dispose();
      const small = await window.platelens.createRecognizer({ backend: 'wasm', tasks: ['vin'], modelBaseUrl: '/', maxDecodePixels: 1_000_000 });
      const a = await small.readVin(bytes(big));
      const b = await small.readVin(new Blob([bytes(turned)]));
      await small.dispose();
      return { ref, a, b };
    },
    { good: Buffer.from(good).toString('base64'), big: big.toString('base64'), turned: turned.toString('base64') },
  );
  for (const r of [out.a, out.b]) {
    expect(r.vin).toBe(CORPUS_VIN);
    for (const k of ['xmin', 'ymin', 'xmax', 'ymax'] as const) expect(Math.abs(r.box[k] - out.ref.box[k] * 5), k).toBeLessThan(4000 * 0.03);
  }
});
