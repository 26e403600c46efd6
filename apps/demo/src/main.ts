/** PlateLens demo: wires inputs, settings and the recognizer to the view. */
import { createRecognizer, type ImageInput, type PlateCallOptions, type Recognizer } from '@platelens/core';
import { cloudEnabled, cloudOnly, withCloud } from './cloud.ts';
import { createHistory, download, historyCsv, historyJson, type HistoryEntry, type TrackRead } from './history.ts';
import { startLive } from './live.ts';
import { progressTracker, readManifest } from './models.ts';
import { bindSettingsForm, loadSettings, type Settings } from './settings.ts';
import { bindImageInputs, startCamera, stopCamera } from './sources.ts';
import { createStore, type Mode, type Outcome } from './state.ts';
import { els, render, showProgress } from './view.ts';

const store = createStore({
  mode: 'vin',
  settings: loadSettings(),
  recognizer: null,
  backend: null,
  tasks: [],
  loadError: null,
  source: { kind: 'none' },
  busy: false,
  outcome: null,
  live: null,
  plate: { region: '', fast: false },
});
store.subscribe(render);
render(store.get());

const modelBaseUrl = new URL('models/', document.baseURI).href;
let loading: Promise<void> | null = null;

/** (Re)creates the local recognizer for the chosen backend, with a progress bar while models download. */
function loadRecognizer(): Promise<void> {
  const run = async () => {
    const old = store.get().recognizer;
    store.set({ recognizer: null, backend: null, loadError: null });
    await old?.dispose();
    showProgress(0, 'Loading models…', false);
    try {
      const info = await readManifest(modelBaseUrl);
      const track = progressTracker(info.sizes);
      const recognizer = await createRecognizer({
        backend: store.get().settings.backend,
        tasks: info.tasks,
        modelBaseUrl,
        onProgress: (e) => {
          const p = track(e);
          showProgress(p.fraction, p.text, p.done);
        },
      });
      showProgress(1, 'Models ready', true);
      store.set({ recognizer, backend: recognizer.backend, tasks: info.tasks });
    } catch (e) {
      showProgress(0, 'Models failed to load', true);
      store.set({ loadError: (e as Error).message });
    }
  };
  loading = (loading ?? Promise.resolve()).then(run);
  return loading;
}

/** Runs the current mode on one input; local first, the cloud per the settings. */
async function recognize(input: ImageInput, mode: Mode): Promise<Outcome | null> {
  await loading;
  const s = store.get();
  const local = s.recognizer;
  if (!local) return null;
  const t0 = performance.now();
  try {
    let target: Pick<Recognizer, 'readVin' | 'recognizePlate'> | null = withCloud(local, s.settings, (e) =>
      console.warn('[demo] cloud fallback failed, showing the local answer:', e.message),
    );
    if (!s.tasks.includes(mode)) target = cloudOnly(s.settings); // plates before their local models exist
    if (!target) return null;
    if (mode === 'vin') {
      const response = await target.readVin(input);
      return { kind: 'vin', response, ms: performance.now() - t0 };
    }
    const response = await target.recognizePlate(input, plateOptions());
    return { kind: 'plate', response, ms: performance.now() - t0 };
  } catch (e) {
    const err = e as { status?: number; code?: string; message?: string };
    return { kind: 'error', mode, error: { status: err.status, code: err.code, message: err.message ?? String(e) }, ms: performance.now() - t0 };
  } finally {
    // a WebGPU failure may have moved the worker to WASM
    if (store.get().recognizer === local) store.set({ backend: local.backend });
  }
}

/** The region picker and fast-mode switch, as plate call options. */
function plateOptions(): PlateCallOptions {
  const p = store.get().plate;
  return { ...(p.region ? { regions: [p.region] } : {}), ...(p.fast ? { mode: 'fast' as const } : {}) };
}

// ---- still images: picker, drop, paste -------------------------------------------
let generation = 0;
let photoUrl: string | null = null;

async function openImage(file: Blob): Promise<void> {
  await stopCameraLoop();
  const url = URL.createObjectURL(file);
  generation++; // a read of the previous image still in flight must not land on this one
  els.photo.src = url;
  try {
    await els.photo.decode();
  } catch {
    // the previous image is gone from the viewer: forget it too, so a mode switch reads nothing
    URL.revokeObjectURL(url);
    if (photoUrl) URL.revokeObjectURL(photoUrl);
    photoUrl = null;
    els.photo.removeAttribute('src');
    const error = { status: 400, code: 'INVALID_IMAGE', message: 'Invalid image data: that file is not an image this browser can open.' };
    store.set({ source: { kind: 'none' }, busy: false, outcome: { kind: 'error', mode: store.get().mode, error, ms: 0 } });
    return;
  }
  if (photoUrl) URL.revokeObjectURL(photoUrl);
  photoUrl = url;
  els.photo.alt = file instanceof File && file.name ? `Selected image ${file.name}` : 'Selected image';
  store.set({ source: { kind: 'image', file, width: els.photo.naturalWidth, height: els.photo.naturalHeight }, outcome: null });
  await runOnImage();
}

async function runOnImage(): Promise<void> {
  const s = store.get();
  if (s.source.kind !== 'image') return;
  const gen = ++generation;
  store.set({ busy: true });
  const outcome = await recognize(s.source.file, s.mode);
  if (gen !== generation) return; // a newer image or mode took over
  store.set({ busy: false, outcome });
}

// ---- camera: a tracker over the live video (latest frame wins, in the worker) --------
const history = createHistory(els.history);
history.render();
let live: { stop(): Promise<void> } | null = null;

function cameraError(message: string, status?: number, code?: string): void {
  store.set({ outcome: { kind: 'error', mode: store.get().mode, error: { status, code, message }, ms: 0 } });
}

async function toggleCamera(): Promise<void> {
  if (store.get().source.kind === 'camera') return stopCameraLoop();
  generation++;
  let stream: MediaStream;
  try {
    stream = await startCamera(els.video);
  } catch (e) {
    const denied = (e as Error).name === 'NotAllowedError';
    cameraError(denied ? 'Camera permission was denied.' : `Camera unavailable: ${(e as Error).message}`, denied ? 403 : 503, denied ? 'CAMERA_DENIED' : 'CAMERA_UNAVAILABLE');
    return;
  }
  store.set({ source: { kind: 'camera', stream }, outcome: null, busy: false, live: null });
  await startTracking();
}

/** (Re)starts the tracker for the current mode and plate options. */
async function startTracking(): Promise<void> {
  await live?.stop();
  live = null;
  await loading;
  const s = store.get();
  if (s.source.kind !== 'camera' || !s.recognizer) return;
  if (!s.tasks.includes(s.mode)) {
    store.set({ live: null, outcome: null });
    return;
  }
  const mode = s.mode;
  try {
    live = startLive(s.recognizer, els.video, { mode, regions: s.plate.region ? [s.plate.region] : undefined }, {
      onFrame: (frame) => {
        if (store.get().source.kind === 'camera' && store.get().mode === mode) store.set({ live: frame });
      },
      onEvent: (type, read, thumb) => {
        if (type === 'confirmed') {
          const entry = history.confirmed(read, thumb ?? '');
          void askCloud(entry, read);
        } else history.changed(read);
      },
      onError: (e) => console.warn('[demo] a camera frame failed:', e),
    });
  } catch (e) {
    const err = e as { status?: number; code?: string; message?: string };
    cameraError(err.message ?? String(e), err.status, err.code);
  }
}

/** With the cloud fallback on, a confirmed read below the threshold is checked once by CarsXE on the current frame. */
async function askCloud(entry: HistoryEntry, read: TrackRead): Promise<void> {
  const s = store.get();
  if (!cloudEnabled(s.settings) || read.score >= s.settings.threshold || entry.source === 'cloud') return;
  const cloud = cloudOnly(s.settings);
  if (!cloud || els.video.videoWidth === 0) return;
  const c = document.createElement('canvas');
  c.width = els.video.videoWidth;
  c.height = els.video.videoHeight;
  c.getContext('2d')?.drawImage(els.video, 0, 0);
  try {
    const blob = await new Promise<Blob | null>((r) => c.toBlob(r, 'image/jpeg', 0.9));
    if (!blob) return;
    if (read.kind === 'vin') {
      const r = await cloud.readVin(blob);
      if (r.success && r.vin && r.confidence > read.score) history.fromCloud(entry.key, { text: r.vin, score: r.confidence, candidates: r.candidates.map((x) => ({ text: x.vin, score: x.confidence })) });
    } else {
      const best = (await cloud.recognizePlate(blob)).results[0];
      if (best && best.score > read.score) {
        history.fromCloud(entry.key, { text: best.plate.toUpperCase(), score: best.score, region: best.region, candidates: (best.candidates ?? []).map((x) => ({ text: x.plate.toUpperCase(), score: x.score })) });
      }
    }
  } catch (e) {
    console.warn('[demo] cloud check of a confirmed read failed:', (e as Error).message);
  }
}

async function stopCameraLoop(): Promise<void> {
  const s = store.get();
  if (s.source.kind !== 'camera') return;
  const stopping = live;
  live = null;
  await stopping?.stop();
  stopCamera(els.video, s.source.stream);
  store.set({ source: { kind: 'none' }, outcome: null, live: null });
}

// ---- wiring ------------------------------------------------------------------------
bindImageInputs(els.file, els.stage, (f) => void openImage(f));
els.camera.addEventListener('click', () => void toggleCamera());

for (const radio of document.querySelectorAll<HTMLInputElement>('input[name="mode"]')) {
  radio.addEventListener('change', () => {
    if (!radio.checked) return;
    store.set({ mode: radio.value as Mode, outcome: null, live: null });
    if (store.get().source.kind === 'camera') void startTracking();
    else void runOnImage();
  });
}

const onPlateOptions = () => {
  store.set({ plate: { region: els.region.value, fast: els.fast.checked } });
  if (store.get().source.kind === 'camera') void startTracking();
  else void runOnImage();
};
els.region.addEventListener('change', onPlateOptions);
els.fast.addEventListener('change', onPlateOptions);

const stamp = () => new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
document.getElementById('export-csv')!.addEventListener('click', () => download(`platelens-reads-${stamp()}.csv`, 'text/csv', historyCsv(history.entries)));
document.getElementById('export-json')!.addEventListener('click', () => download(`platelens-reads-${stamp()}.json`, 'application/json', historyJson(history.entries)));
document.getElementById('history-clear')!.addEventListener('click', () => history.clear());

bindSettingsForm(els.settingsForm, store.get().settings, (settings: Settings, changed) => {
  const before = store.get().settings;
  store.set({ settings });
  if (changed === 'backend' && settings.backend !== before.backend) void loadRecognizer().then(() => (store.get().source.kind === 'camera' ? startTracking() : runOnImage()));
  else if (changed === 'cloud' || changed === 'apiKey') void runOnImage(); // the cloud may change the answer
});

// offline: the service worker is active once its precache (app, ORT wasm, models) is complete
if ('serviceWorker' in navigator) {
  void navigator.serviceWorker.ready.then(() => {
    els.offline.hidden = false;
    document.body.dataset.offline = 'ready';
  });
}

void loadRecognizer();
