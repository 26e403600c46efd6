/** Shared helpers for the benchmark commands: stats, a browser session on the harness, output. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { chromium, type Browser, type Page } from '@playwright/test';
import { createServer, type ViteDevServer } from 'vite';
import { CHROMIUM_ARGS } from '../../playwright.config.ts';

export const ROOT = join(dirname(new URL(import.meta.url).pathname), '..', '..');

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))];
}

export interface BrowserSession {
  page: Page;
  close(): Promise<void>;
}

/** The Playwright harness page (COOP/COEP, real worker) in Debian Chromium. */
export async function openHarness(): Promise<BrowserSession> {
  const server: ViteDevServer = await createServer({ configFile: join(ROOT, 'tests/harness/vite.config.ts'), server: { port: 0 } });
  await server.listen();
  const url = server.resolvedUrls!.local[0];
  const browser: Browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  const page = await browser.newPage();
  // tsx/esbuild wraps named functions in __name(); give evaluated snippets one
  await page.addInitScript('globalThis.__name = (f) => f');
  await page.goto(url);
  await page.waitForFunction(() => (window as unknown as { platelens?: unknown }).platelens !== undefined);
  return {
    page,
    async close() {
      await browser.close();
      await server.close();
    },
  };
}

export function printTable(title: string, rows: Record<string, string | number>[]): void {
  if (!rows.length) return;
  const cols = Object.keys(rows[0]);
  const cell = (v: string | number) => (typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(1)) : v);
  const widths = cols.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c] ?? '').length)));
  const line = (vals: string[]) => '| ' + vals.map((v, i) => v.padEnd(widths[i])).join(' | ') + ' |';
  console.log(`\n${title}\n`);
  console.log(line(cols));
  console.log('|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|');
  for (const r of rows) console.log(line(cols.map((c) => cell(r[c] ?? ''))));
}

export function writeJson(name: string, data: unknown): string {
  const dir = join(ROOT, 'bench-results');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(data, null, 2) + '\n');
  return path;
}
