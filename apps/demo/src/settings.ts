/** User settings, kept in this browser only (localStorage). `?backend=` in the URL overrides the stored backend. */
export type BackendPref = 'auto' | 'webgpu' | 'wasm';

export interface Settings {
  /** 0..1: results below are shown as low confidence and (with cloud on) trigger the fallback. */
  threshold: number;
  backend: BackendPref;
  cloud: boolean;
  apiKey: string;
}

const KEY = 'platelens.demo.settings';
export const DEFAULTS: Settings = { threshold: 0.5, backend: 'auto', cloud: false, apiKey: '' };
const BACKENDS: readonly BackendPref[] = ['auto', 'webgpu', 'wasm'];

export function loadSettings(): Settings {
  let stored: Partial<Settings> = {};
  try {
    stored = JSON.parse(localStorage.getItem(KEY) ?? '{}') as Partial<Settings>;
  } catch {
    /* unreadable: defaults */
  }
  const s: Settings = {
    threshold: clamp01(Number(stored.threshold ?? DEFAULTS.threshold)),
    backend: BACKENDS.includes(stored.backend as BackendPref) ? (stored.backend as BackendPref) : DEFAULTS.backend,
    cloud: stored.cloud === true,
    apiKey: typeof stored.apiKey === 'string' ? stored.apiKey : '',
  };
  const fromUrl = new URLSearchParams(location.search).get('backend');
  if (BACKENDS.includes(fromUrl as BackendPref)) s.backend = fromUrl as BackendPref;
  return s;
}

export function saveSettings(s: Settings): void {
  try {
    localStorage.setItem(KEY, JSON.stringify(s));
  } catch {
    /* private mode / quota: settings last for this visit only */
  }
}

function clamp01(n: number): number {
  return Number.isFinite(n) ? Math.min(1, Math.max(0, n)) : DEFAULTS.threshold;
}

/** Binds the settings form both ways; calls onChange with the new settings after each edit. */
export function bindSettingsForm(form: HTMLFormElement, initial: Settings, onChange: (s: Settings, changed: keyof Settings) => void): void {
  const threshold = form.elements.namedItem('threshold') as HTMLInputElement;
  const out = form.querySelector<HTMLOutputElement>('#threshold-out')!;
  const backend = form.elements.namedItem('backend') as HTMLSelectElement;
  const cloud = form.elements.namedItem('cloud') as HTMLInputElement;
  const apiKey = form.elements.namedItem('apiKey') as HTMLInputElement;
  threshold.value = String(initial.threshold);
  out.value = initial.threshold.toFixed(2);
  backend.value = initial.backend;
  cloud.checked = initial.cloud;
  apiKey.value = initial.apiKey;
  const syncKeyField = () => {
    apiKey.disabled = !cloud.checked;
  };
  syncKeyField();
  let current = { ...initial };
  const update = (changed: keyof Settings) => {
    current = {
      threshold: clamp01(Number(threshold.value)),
      backend: backend.value as BackendPref,
      cloud: cloud.checked,
      apiKey: apiKey.value.trim(),
    };
    out.value = current.threshold.toFixed(2);
    syncKeyField();
    saveSettings(current);
    onChange(current, changed);
  };
  threshold.addEventListener('input', () => update('threshold'));
  backend.addEventListener('change', () => update('backend'));
  cloud.addEventListener('change', () => update('cloud'));
  apiKey.addEventListener('change', () => update('apiKey'));
  form.addEventListener('submit', (e) => e.preventDefault());
}
