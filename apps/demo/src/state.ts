/** The app's state in one place, with a tiny subscribe/notify store. */
import type { Backend, PlateResponse, VideoRecognizer, VinResponse } from '@platelens/core';
import type { LiveFrame } from './live.ts';
import type { Task } from './models.ts';
import type { Settings } from './settings.ts';

export type Mode = Task;

export type Outcome =
  | { kind: 'vin'; response: VinResponse; ms: number }
  | { kind: 'plate'; response: PlateResponse; ms: number }
  | { kind: 'error'; mode: Mode; error: { status?: number; code?: string; message: string }; ms: number };

export interface State {
  mode: Mode;
  settings: Settings;
  /** null while the models load */
  recognizer: VideoRecognizer | null;
  backend: Backend | null;
  tasks: Task[];
  loadError: string | null;
  source: { kind: 'none' } | { kind: 'image'; file: Blob; width: number; height: number } | { kind: 'camera'; stream: MediaStream };
  busy: boolean;
  outcome: Outcome | null;
  /** Camera mode: the last recognised frame and the live tracks. */
  live: LiveFrame | null;
  /** Plate calls: a region hint ('' = any) and the fast detector mode. */
  plate: { region: string; fast: boolean };
}

export function createStore(initial: State) {
  let state = initial;
  const listeners = new Set<(s: State) => void>();
  return {
    get: () => state,
    set(patch: Partial<State>) {
      state = { ...state, ...patch };
      for (const l of listeners) l(state);
    },
    subscribe(l: (s: State) => void) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  };
}
export type Store = ReturnType<typeof createStore>;
