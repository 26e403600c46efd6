/**
 * Packs @platelens/{models,core,cloud,cli} (`pnpm pack`, which builds them) and installs the
 * tarballs into a new app in a temp dir outside the workspace: the user's view of the packages.
 * Third-party dependencies come through pnpm's store (--prefer-offline: the registry is asked
 * only for what the store lacks).
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PACKAGES = ['models', 'core', 'cloud', 'cli'] as const;

export interface ConsumerApp {
  dir: string;
  tarballs: Record<(typeof PACKAGES)[number], string>;
}

const run = (cmd: string, args: string[], cwd: string) =>
  execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ONNXRUNTIME_NODE_INSTALL: 'skip' } });

const versionOf = (dep: string): string =>
  (JSON.parse(readFileSync(join(ROOT, 'node_modules', dep, 'package.json'), 'utf8')) as { version: string }).version;

export function makeConsumerApp(): ConsumerApp {
  const work = mkdtempSync(join(tmpdir(), 'platelens-consumer-'));
  const packs = join(work, 'tarballs');
  mkdirSync(packs);
  const tarballs = {} as ConsumerApp['tarballs'];
  for (const p of PACKAGES) {
    run('pnpm', ['pack', '--pack-destination', packs], join(ROOT, 'packages', p));
    tarballs[p] = join(packs, `platelens-${p}-0.1.0.tgz`);
  }
  const dir = join(work, 'app');
  cpSync(join(ROOT, 'tests/consumer/app'), dir, { recursive: true });
  const file = (p: keyof typeof tarballs) => `file:${tarballs[p]}`;
  const pkg = {
    name: 'platelens-consumer',
    private: true,
    type: 'module',
    dependencies: {
      '@platelens/core': file('core'),
      '@platelens/models': file('models'),
      '@platelens/cli': file('cli'),
      // the Node entry's runtime + decoder: optional peers of core, installed by a Node user
      'onnxruntime-node': '1.30.0',
      sharp: '^0.35.5',
    },
    // the workspace's versions, so pnpm takes them from its store instead of the registry
    devDependencies: { vite: versionOf('vite'), typescript: versionOf('typescript') },
    // the tarballs depend on each other by version: point those at the tarballs too
    pnpm: { overrides: { '@platelens/core': file('core'), '@platelens/models': file('models') } },
  };
  writeFileSync(join(dir, 'package.json'), JSON.stringify(pkg, null, 2));
  run('pnpm', ['install', '--prefer-offline', '--no-frozen-lockfile'], dir); // no lockfile: a new app
  cpSync(join(dir, 'node_modules/@platelens/cli/samples'), join(dir, 'public'), { recursive: true });
  return { dir, tarballs };
}
