/**
 * models/manifest.json = models/meta/*.json + each file's sha256 and bytes (+ the
 * text recogniser's ASCII class map). Run after a model changes: `pnpm models:manifest`.
 */
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { npmModelPath } from './sync.ts';

const root = join(dirname(new URL(import.meta.url).pathname), '..', '..');
const models = [];
for (const f of readdirSync(join(root, 'models', 'meta')).filter((f) => f.endsWith('.json')).sort()) {
  const meta = JSON.parse(readFileSync(join(root, 'models', 'meta', f), 'utf8'));
  const bytes = readFileSync(join(root, 'models', meta.file));
  const entry = {
    ...meta,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    bytes: bytes.length,
  };
  if (meta.name === 'text-rec') {
    // PP-OCR classes: 0 = blank, 1..N = ppocr_keys_v1.txt lines, N+1 = space.
    // Keep only printable ASCII: the runtime folds everything else away.
    const keys = readFileSync(npmModelPath({ package: meta.source.package, path: 'assets/ppocr_keys_v1.txt' }), 'utf8')
      .split('\n')
      .filter((_, i, a) => i < a.length - 1 || a[i] !== '');
    const classes: Record<string, string> = {};
    keys.forEach((k, i) => {
      if (/^[ -~]$/.test(k)) classes[String(i + 1)] = k;
    });
    classes[String(keys.length + 1)] = ' ';
    entry.output = { ...meta.output, numClasses: keys.length + 2, classes };
  }
  models.push(entry);
}
writeFileSync(join(root, 'models', 'manifest.json'), JSON.stringify({ version: 1, models }, null, 2) + '\n');
console.log(`models/manifest.json: ${models.map((m) => `${m.name} ${(m.bytes / 1e6).toFixed(2)} MB`).join(', ')}`);
