/**
 * Vite plugin: serves PlateLens' models at `<base>models/` in dev and emits them into the build
 * (dist/models/), so `createRecognizer()`'s default `modelBaseUrl: './models/'` finds them.
 * `tasks` limits the files to what the app uses (a plate-only app ships only the plate models).
 */
import { createReadStream, readFileSync, realpathSync, statSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const TASK_MODELS = {
  vin: ['text-det', 'vin-reader', 'text-rec'],
  plate: ['plate-detector', 'plate-reader'],
};

// the folder manifest.json really lives in (in the PlateLens repo it is a symlink into models/)
const dir = new URL('./', pathToFileURL(realpathSync(fileURLToPath(new URL('manifest.json', import.meta.url)))));

/** @param {{ tasks?: ('vin' | 'plate')[], path?: string }} [options] */
export default function platelensModels(options = {}) {
  const tasks = options.tasks ?? ['vin', 'plate'];
  const sub = (options.path ?? 'models').replace(/^\/+|\/+$/g, '');
  for (const t of tasks) if (!(t in TASK_MODELS)) throw new Error(`platelensModels: unknown task '${t}' (use 'vin' or 'plate')`);
  const manifest = JSON.parse(readFileSync(new URL('manifest.json', dir), 'utf8'));
  const wanted = new Set(tasks.flatMap((t) => TASK_MODELS[t]));
  const files = ['manifest.json', ...manifest.models.filter((m) => wanted.has(m.name)).map((m) => m.file)];
  let base = '/';
  return {
    name: 'platelens-models',
    configResolved(config) {
      base = config.base.startsWith('/') ? config.base : '/';
    },
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const path = decodeURIComponent((req.url ?? '').split('?')[0]);
        const name = path.startsWith(`${base}${sub}/`) ? path.slice(base.length + sub.length + 1) : null;
        if (!name || !files.includes(name)) return next();
        const file = new URL(name, dir);
        res.setHeader('Content-Type', name.endsWith('.json') ? 'application/json' : 'application/octet-stream');
        res.setHeader('Content-Length', String(statSync(file).size));
        createReadStream(file).pipe(res);
      });
    },
    generateBundle() {
      for (const name of files) this.emitFile({ type: 'asset', fileName: `${sub}/${name}`, source: readFileSync(new URL(name, dir)) });
    },
  };
}
