/**
 * The hostile corpus through the Node API and the CLI, with the real models: every input
 * ends within 10 s as a typed error or the right VIN, memory stays bounded, and the same
 * recognizer (the same CLI process) then reads a good image. Writes the corpus tables to
 * bench-results/hostile-{node,cli}.md.
 */
import { spawn } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRecognizer, PlateLensError, type ImageInput } from '@platelens/core/node';
import { CORPUS_VIN, corpusTable, hostileCorpus, type HostileCase, type HostileInput } from '../../core/test/fixtures/hostile-corpus.ts';

const ROOT = join(import.meta.dirname, '../../..');
// not test-results/: Playwright empties that folder when it starts
const OUT = join(ROOT, 'bench-results');
const MB = 1024 * 1024;
let cases: HostileCase[];
let good: Uint8Array;

beforeAll(async () => {
  ({ cases, good } = await hostileCorpus());
});

const write = (file: string, text: string) => {
  mkdirSync(OUT, { recursive: true });
  writeFileSync(join(OUT, file), text);
};

function asInput(i: HostileInput): ImageInput {
  if (i.kind === 'bytes') return i.bytes;
  if (i.kind === 'string') return i.text;
  if (i.dataNull) return { data: null, width: i.width, height: i.height } as unknown as ImageInput;
  return { data: new Uint8ClampedArray(i.length).fill(i.fill ?? 0), width: i.width, height: i.height };
}

/** What a case may end as (asserted the same way for every surface). */
function check(c: HostileCase, o: { vin?: string; status?: number; code?: string; typed?: boolean; timedOut?: boolean }) {
  const where = `${c.name}: ${JSON.stringify(o)}`;
  expect(o.timedOut, where).toBeFalsy();
  if (o.vin !== undefined) {
    expect(c.expect, where).not.toBe('error');
    expect(o.vin, where).toBe(CORPUS_VIN);
    return;
  }
  expect(c.expect, where).not.toBe('vin');
  expect(o.typed, where).toBe(true);
  expect(o.status, where).toBeGreaterThanOrEqual(400);
  expect(o.status, where).toBeLessThan(500);
  expect(typeof o.code, where).toBe('string');
}

const rssMB = () => process.memoryUsage().rss / MB;

describe('hostile corpus', () => {
  it('has at least 60 inputs', () => {
    expect(cases.length).toBeGreaterThanOrEqual(60);
  });

  it('Node API: each input → typed error or the right VIN within 10 s, RSS < 1.5 GB; then a good image is read', async () => {
    // the same 2 MP decode budget as the browser run (see hostile.spec.ts); the CLI keeps the default 16 MP
    const r = await createRecognizer({ tasks: ['vin'], maxDecodePixels: 2_000_000 });
    const rows = [];
    let peakAll = 0;
    try {
      for (const c of cases) {
        let peak = rssMB();
        const sampler = setInterval(() => (peak = Math.max(peak, rssMB())), 10);
        const t0 = performance.now();
        const o = await Promise.race([
          r.readVin(asInput(c.input)).then(
            (v) => ({ vin: v.vin }),
            (e: PlateLensError) => ({ status: e.status, code: e.code, typed: e instanceof PlateLensError, message: e.message }),
          ),
          new Promise<{ timedOut: true }>((res) => setTimeout(() => res({ timedOut: true }), 10_000)),
        ]);
        const ms = performance.now() - t0;
        clearInterval(sampler);
        peak = Math.max(peak, rssMB());
        peakAll = Math.max(peakAll, peak);
        const outcome = 'vin' in o ? `VIN ${o.vin === CORPUS_VIN ? 'ok' : o.vin}` : 'timedOut' in o ? 'TIMEOUT' : `${o.status} ${o.code}`;
        rows.push({ name: c.name, outcome, ms, peakMB: peak });
        check(c, o);
        expect(ms, c.name).toBeLessThan(10_000);
      }
      expect((await r.readVin(good)).vin).toBe(CORPUS_VIN);
    } finally {
      write('hostile-node.md', corpusTable(`Node API (${rows.length} inputs, RSS sampled every 10 ms)`, rows));
      await r.dispose();
    }
    expect(peakAll).toBeLessThan(1536);
  });

  it('CLI: one typed line per file (specials too), within 10 s each, RSS < 1.5 GB; the good last file is read; exit 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'platelens-hostile-'));
    const files: { path: string; name: string; expect: HostileCase['expect'] }[] = [];
    cases.forEach((c, i) => {
      if (c.input.kind !== 'bytes') return;
      const path = join(dir, `case-${String(i).padStart(3, '0')}.img`);
      writeFileSync(path, c.input.bytes);
      files.push({ path, name: c.name, expect: c.expect });
    });
    // things only a file system has
    mkdirSync(join(dir, 'a-directory'));
    execFileSync('mkfifo', [join(dir, 'a-fifo')]);
    execFileSync('truncate', ['-s', '3G', join(dir, 'sparse-3g.jpg')]);
    symlinkSync('/dev/zero', join(dir, 'link-to-dev-zero.jpg'));
    const specials = [
      ['/dev/zero', '/dev/zero'],
      [join(dir, 'a-directory'), 'a directory'],
      [join(dir, 'a-fifo'), 'a FIFO with no writer'],
      [join(dir, 'sparse-3g.jpg'), 'a 3 GB sparse file'],
      [join(dir, 'link-to-dev-zero.jpg'), 'a symlink to /dev/zero'],
      [join(dir, 'missing.jpg'), 'a missing file'],
    ];
    for (const [path, name] of specials) files.push({ path, name, expect: 'error' });
    writeFileSync(join(dir, 'good.png'), good);
    files.push({ path: join(dir, 'good.png'), name: 'good image, last', expect: 'vin' });

    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'packages/cli/src/main.ts'), 'vin', ...files.map((f) => f.path)], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const status = () => {
      try {
        return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
      } catch {
        return 0;
      }
    };
    let peak = 0;
    const sampler = setInterval(() => (peak = Math.max(peak, status())), 10);
    const lines: { line: Record<string, any>; at: number; peak: number }[] = [];
    let buf = '';
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.on('data', (d) => {
      buf += d;
      for (let i; (i = buf.indexOf('\n')) >= 0; ) {
        lines.push({ line: JSON.parse(buf.slice(0, i)), at: performance.now(), peak });
        peak = status();
        buf = buf.slice(i + 1);
      }
    });
    const t0 = performance.now();
    const code = await new Promise<number>((res) => child.on('close', (c) => res(c ?? -1)));
    clearInterval(sampler);
    expect(stderr).toBe('');
    expect(lines.map((l) => l.line.file)).toEqual(files.map((f) => f.path));
    const rows = [];
    let prev = t0;
    let peakAll = 0;
    for (const [i, { line, at, peak: p }] of lines.entries()) {
      const f = files[i];
      const ms = at - prev;
      prev = at;
      peakAll = Math.max(peakAll, p);
      const o = line.response ? { vin: line.response.vin } : { status: line.error.status, code: line.error.code, typed: true };
      rows.push({ name: f.name, outcome: line.response ? `VIN ${line.response.vin === CORPUS_VIN ? 'ok' : line.response.vin}` : `${o.status} ${o.code}`, ms, peakMB: p });
      check({ name: f.name, input: { kind: 'string', text: '' }, expect: f.expect }, o);
      // the first line also pays for loading the models
      expect(ms, f.name).toBeLessThan(i === 0 ? 20_000 : 10_000);
    }
    write('hostile-cli.md', corpusTable(`CLI (${rows.length} files in one process; ms = time since the previous line, the first includes model loading; RSS of the CLI process)`, rows));
    expect(lines.at(-1)!.line.response.vin).toBe(CORPUS_VIN);
    expect(code).toBe(1); // some inputs could not be read
    expect(peakAll).toBeLessThan(1536);
  });
});

afterAll(() => undefined);
