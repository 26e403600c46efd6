/**
 * models/manifest.json = models/meta/*.json + each file's sha256 and bytes.
 * Run after a model changes: `pnpm models:manifest`.
 */
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const root = join(dirname(new URL(import.meta.url).pathname), '..', '..');
const models = [];
for (const f of readdirSync(join(root, 'models', 'meta')).filter((f) => f.endsWith('.json')).sort()) {
  const meta = JSON.parse(readFileSync(join(root, 'models', 'meta', f), 'utf8'));
  const bytes = readFileSync(join(root, 'models', meta.file));
  models.push({ ...meta, sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length });
}
writeFileSync(join(root, 'models', 'manifest.json'), JSON.stringify({ version: 1, models }, null, 2) + '\n');
console.log(`models/manifest.json: ${models.map((m) => `${m.name} ${(m.bytes / 1e6).toFixed(2)} MB`).join(', ')}`);
