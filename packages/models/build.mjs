/**
 * Stages the package in dist/ (publishConfig.directory, so `pnpm pack` packs it): the repo's
 * models/manifest.json and the .onnx files it lists, copied as real files. In the workspace,
 * manifest.json is a symlink into ../../models, so the repo's code always sees the current models
 * without a build; a tarball cannot carry symlinks, hence this copy.
 */
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

const src = new URL('../../models/', import.meta.url);
const out = new URL('./dist/', import.meta.url);
rmSync(out, { recursive: true, force: true });
mkdirSync(out);
const manifest = JSON.parse(readFileSync(new URL('manifest.json', src), 'utf8'));
const files = manifest.models.map((m) => m.file);
for (const f of files) {
  if (!/^[\w.-]+\.onnx$/.test(f)) throw new Error(`unexpected model file name in manifest: ${f}`);
  copyFileSync(new URL(f, src), new URL(f, out));
}
copyFileSync(new URL('manifest.json', src), new URL('manifest.json', out));
for (const f of ['vite.js', 'vite.d.ts', 'README.md']) copyFileSync(new URL(f, import.meta.url), new URL(f, out));
const pkg = JSON.parse(readFileSync(new URL('package.json', import.meta.url), 'utf8'));
delete pkg.scripts;
delete pkg.publishConfig;
writeFileSync(new URL('package.json', out), JSON.stringify(pkg, null, 2) + '\n');
console.log(`@platelens/models: staged manifest.json + ${files.length} models in dist/`);
