/** PlateLens demo: wires inputs, settings and the recognizer to the view. */
import { createRecognizer, type ImageInput, type Recognizer } from '@platelens/core';
import { cloudOnly, withCloud } from './cloud.ts';
import { progressTracker, readManifest } from './models.ts';
import { bindSettingsForm, loadSettings, type Settings } from './settings.ts';
import { bindImageInputs, nextFrame, startCamera, stopCamera } from './sources.ts';
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
    const response = await target.recognizePlate(input);
    return { kind: 'plate', response, ms: performance.now() - t0 };
  } catch (e) {
    const err = e as { status?: number; code?: string; message?: string };
    return { kind: 'error', mode, error: { status: err.status, code: err.code, message: err.message ?? String(e) }, ms: performance.now() - t0 };
  } finally {
    // a WebGPU failure may have moved the worker to WASM
    if (store.get().recognizer === local) store.set({ backend: local.backend });
  }
}

// ---- still images: picker, drop, paste -------------------------------------------
let generation = 0;
let photoUrl: string | null = null;

async function openImage(file: Blob): Promise<void> {
  await stopCameraLoop();
  const url = URL.createObjectURL(file);
  els.photo.src = url;
  try {
    await els.photo.decode();
  } catch {
    URL.revokeObjectURL(url);
    store.set({ outcome: { kind: 'error', mode: store.get().mode, error: { message: 'That file is not an image this browser can open.' }, ms: 0 } });
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

// ---- camera: one frame in flight at a time ----------------------------------------
let cameraLoop: Promise<void> | null = null;
let cameraOn = false;

async function toggleCamera(): Promise<void> {
  if (store.get().source.kind === 'camera') return stopCameraLoop();
  generation++;
  let stream: MediaStream;
  try {
    stream = await startCamera(els.video);
  } catch (e) {
    const message = (e as Error).name === 'NotAllowedError' ? 'Camera permission was denied.' : `Camera unavailable: ${(e as Error).message}`;
    store.set({ outcome: { kind: 'error', mode: store.get().mode, error: { message }, ms: 0 } });
    return;
  }
  store.set({ source: { kind: 'camera', stream }, outcome: null, busy: false });
  cameraOn = true;
  cameraLoop = (async () => {
    while (cameraOn) {
      await nextFrame(els.video);
      if (!cameraOn || els.video.readyState < 2) continue;
      const outcome = await recognize(els.video, store.get().mode);
      if (cameraOn && outcome) store.set({ outcome });
    }
  })();
}

async function stopCameraLoop(): Promise<void> {
  const s = store.get();
  if (s.source.kind !== 'camera') return;
  cameraOn = false;
  await cameraLoop;
  stopCamera(els.video, s.source.stream);
  store.set({ source: { kind: 'none' }, outcome: null });
}

// ---- wiring ------------------------------------------------------------------------
bindImageInputs(els.file, els.stage, (f) => void openImage(f));
els.camera.addEventListener('click', () => void toggleCamera());

for (const radio of document.querySelectorAll<HTMLInputElement>('input[name="mode"]')) {
  radio.addEventListener('change', () => {
    if (!radio.checked) return;
    store.set({ mode: radio.value as Mode, outcome: null });
    void runOnImage();
  });
}

bindSettingsForm(els.settingsForm, store.get().settings, (settings: Settings, changed) => {
  const before = store.get().settings;
  store.set({ settings });
  if (changed === 'backend' && settings.backend !== before.backend) void loadRecognizer().then(runOnImage);
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
