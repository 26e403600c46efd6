#!/usr/bin/env node
/**
 * After `tsc -p tsconfig.build.json` (run in a package folder): tsc rewrites `./x.ts` imports to
 * `./x.js` in the JavaScript but not in the .d.ts files, nor inside `new URL('./x.ts', import.meta.url)`
 * (the worker entry). Fix both so dist/ only refers to files that exist, and fail if anything still does.
 */
import { readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join, dirname, resolve } from 'node:path';

const dist = resolve(process.argv[2] ?? 'dist');
const files = readdirSync(dist, { recursive: true, withFileTypes: true })
  .filter((d) => d.isFile() && /\.(js|d\.ts)$/.test(d.name))
  .map((d) => join(d.parentPath, d.name));

// relative specifiers in import/export/import()/new URL() that end in .ts
const rel = /((?:from|import\(|new URL\()\s*['"])(\.\.?\/[^'"]+?)\.ts(['"])/g;
const missing = [];
for (const file of files) {
  const src = readFileSync(file, 'utf8');
  const out = src.replace(rel, '$1$2.js$3');
  if (out !== src) writeFileSync(file, out);
  for (const m of out.matchAll(/(?:from|import\(|new URL\()\s*['"](\.\.?\/[^'"]+)['"]/g)) {
    if (m[1] === './') continue;
    const target = join(dirname(file), m[1]);
    const alt = target.replace(/\.js$/, '.d.ts');
    if (!existsSync(target) && !(file.endsWith('.d.ts') && existsSync(alt))) missing.push(`${file}: ${m[1]}`);
  }
}
if (missing.length) {
  console.error(`finish-dist: references to files that are not in ${dist}:\n  ${missing.join('\n  ')}`);
  process.exit(1);
}
