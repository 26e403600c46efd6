/**
 * Under a strict CSP (`script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'`, sent on
 * the page and on the worker script) the recognizer reads a VIN and a plate with zero
 * violations: no `new Function` from zod (jitless), no eval anywhere in the worker.
 * Its own Vite server, so the CSP header covers every response.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { createServer, type ViteDevServer } from 'vite';
import { renderVinLabel } from '../../packages/core/test/fixtures/render.ts';

const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:";
const VIN = '1HGCM82633A004352';
const PLATE_JPEG = readFileSync(fileURLToPath(new URL('../../packages/cli/samples/plate-street.jpg', import.meta.url)));
let server: ViteDevServer;
let url: string;

test.beforeAll(async () => {
  server = await createServer({
    configFile: fileURLToPath(new URL('../harness/vite.config.ts', import.meta.url)),
    server: {
      port: 0,
      host: '127.0.0.1',
      strictPort: false,
      hmr: false,
      headers: {
        'Cross-Origin-Opener-Policy': 'same-origin',
        'Cross-Origin-Embedder-Policy': 'require-corp',
        'Content-Security-Policy': CSP,
      },
    },
  });
  await server.listen();
  url = server.resolvedUrls!.local[0];
});

test.afterAll(async () => {
  await server?.close();
});

test('strict CSP: a VIN and a plate are read with zero CSP violations in the page or the worker', async ({ page }) => {
  const violations: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
  });
  page.on('worker', (w) => w.on('console', (m) => /Content Security Policy|Refused to/i.test(m.text()) && violations.push(`worker: ${m.text()}`)));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      ((window as any).__violations ??= []).push(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  await page.goto(url);
  await expect(page.locator('#status')).toHaveText('ready', { timeout: 60_000 });
  const headers = await page.evaluate(async () => (await fetch(location.href)).headers.get('content-security-policy'));
  expect(headers).toBe(CSP);
  const out = await page.evaluate(
    async ({ vin, plate }) => {
      const bytes = (b64: string) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const r = await window.platelens.createRecognizer({ backend: 'wasm', modelBaseUrl: '/' });
      const v = await r.readVin(bytes(vin));
      const p = await r.recognizePlate(bytes(plate));
      // a bad input too: the error path runs zod as well
      const bad = await r.readVin('not base64 !').catch((e) => e.code);
      await r.dispose();
      return { vin: v.vin, plate: p.results[0]?.plate, bad, violations: (window as any).__violations ?? [] };
    },
    { vin: renderVinLabel(VIN, { width: 800, height: 450 }).toString('base64'), plate: PLATE_JPEG.toString('base64') },
  );
  expect(out.vin).toBe(VIN);
  expect(out.plate).toBe('448ljt');
  expect(out.bad).toBe('INVALID_IMAGE');
  expect(out.violations).toEqual([]);
  expect(violations).toEqual([]);
});
