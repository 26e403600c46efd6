/** What the served model manifest offers, and a progress aggregate over the files being loaded. */
import { TASK_MODELS, type ProgressEvent, type Task } from '@platelens/core';

export type { Task };

interface ManifestEntry {
  name: string;
  file: string;
  bytes: number;
}

export interface ModelInfo {
  tasks: Task[];
  /** file → size in bytes, for the files those tasks load */
  sizes: Map<string, number>;
}

export async function readManifest(modelBaseUrl: string): Promise<ModelInfo> {
  const res = await fetch(new URL('manifest.json', modelBaseUrl));
  if (!res.ok) throw new Error(`model manifest not found (HTTP ${res.status})`);
  const { models } = (await res.json()) as { models: ManifestEntry[] };
  const byName = new Map(models.map((m) => [m.name, m]));
  // VIN always; plates once the manifest lists both plate models
  const tasks: Task[] = ['vin'];
  if (TASK_MODELS.plate.every((n) => byName.has(n))) tasks.push('plate');
  const sizes = new Map<string, number>();
  for (const t of tasks) for (const n of TASK_MODELS[t]) {
    const m = byName.get(n);
    if (m) sizes.set(m.file, m.bytes);
  }
  return { tasks, sizes };
}

/** Folds per-file progress events into one 0..1 fraction and a line of text. */
export function progressTracker(sizes: Map<string, number>) {
  const loaded = new Map<string, number>();
  const total = [...sizes.values()].reduce((a, b) => a + b, 0) || 1;
  return (e: ProgressEvent): { fraction: number; text: string; done: boolean } => {
    if (e.stage === 'ready') return { fraction: 1, text: 'Models ready', done: true };
    if (e.stage === 'download') {
      loaded.set(e.file, e.loaded);
      const sum = [...loaded.values()].reduce((a, b) => a + b, 0);
      return { fraction: Math.min(1, sum / total), text: `Downloading ${e.file} — ${mb(sum)} of ${mb(total)}`, done: false };
    }
    const sum = [...loaded.values()].reduce((a, b) => a + b, 0);
    const what = e.stage === 'verify' ? `Verifying ${e.file}` : `Starting ${e.file}`;
    return { fraction: Math.min(1, sum / total), text: what, done: false };
  };
}

const mb = (n: number) => `${(n / 1_048_576).toFixed(1)} MB`;
