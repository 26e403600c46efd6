import { defineConfig } from '@playwright/test';

/** Debian's Chromium (no Playwright browser download); WebGPU via SwiftShader. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--enable-unsafe-webgpu',
];

const HARNESS_PORT = 5174;
/** The demo app (apps/demo), built and served by `vite preview`; demo*.spec.ts use it. */
export const DEMO_URL = 'http://127.0.0.1:5175';

export default defineConfig({
  testDir: 'tests/e2e',
  timeout: 180_000,
  expect: { timeout: 60_000 },
  workers: 1,
  reporter: process.env.CI ? [['list']] : [['list']],
  use: {
    baseURL: `http://127.0.0.1:${HARNESS_PORT}`,
    launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS },
  },
  webServer: [
    {
      command: `pnpm exec vite --config tests/harness/vite.config.ts --port ${HARNESS_PORT}`,
      url: `http://127.0.0.1:${HARNESS_PORT}/`,
      reuseExistingServer: !process.env.CI,
      timeout: 60_000,
    },
    {
      command: 'pnpm --filter @platelens/demo build && pnpm --filter @platelens/demo preview --port 5175 --strictPort --host 127.0.0.1',
      url: `${DEMO_URL}/`,
      reuseExistingServer: !process.env.CI,
      timeout: 180_000,
    },
  ],
});
