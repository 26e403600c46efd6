/** Renders the state into the page: status chips, notices, the overlay, the summary and the JSON. */
import { candidatesList } from './history.ts';
import { renderLive } from './live-view.ts';
import { drawOverlay, plateShapes, vinShapes, type Shape } from './overlay.ts';
import { vinDecodeView } from './vin-decode-view.ts';
import type { State } from './state.ts';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

export const els = {
  backend: $('backend'),
  isolation: $('isolation'),
  offline: $('offline'),
  loading: $('loading'),
  progress: $<HTMLProgressElement>('progress'),
  progressLabel: $('progress-label'),
  file: $<HTMLInputElement>('file'),
  camera: $<HTMLButtonElement>('camera'),
  stage: $('stage'),
  photo: $<HTMLImageElement>('photo'),
  video: $<HTMLVideoElement>('video'),
  overlay: $<HTMLCanvasElement>('overlay'),
  notice: $('notice'),
  summary: $('summary'),
  source: $('source'),
  time: $('time'),
  json: $('json'),
  liveStats: $('live-stats'),
  history: $('history'),
  plateOptions: $('plate-options'),
  region: $<HTMLSelectElement>('region'),
  fast: $<HTMLInputElement>('fast'),
  settingsForm: $<HTMLFormElement>('settings-form'),
};

const BACKEND_NAMES: Record<string, string> = { webgpu: 'WebGPU', wasm: 'WASM', cpu: 'CPU' };

export function showProgress(fraction: number, text: string, done: boolean): void {
  els.progress.value = fraction;
  els.progressLabel.textContent = text;
  els.loading.hidden = done;
}

export function render(s: State): void {
  document.body.dataset.status = s.loadError ? 'error' : !s.recognizer ? 'loading' : s.busy ? 'busy' : 'ready';
  document.body.dataset.mode = s.mode;

  els.backend.textContent = s.backend ? BACKEND_NAMES[s.backend] ?? s.backend : s.loadError ? 'not loaded' : 'loading…';
  els.backend.dataset.backend = s.backend ?? '';
  const isolated = globalThis.crossOriginIsolated === true;
  els.isolation.textContent = isolated ? 'threads on' : 'single thread';
  els.isolation.title = isolated ? 'Cross-origin isolated: WASM runs multi-threaded' : 'Not cross-origin isolated: WASM runs on one thread';

  // notices: load failure, then plate models missing
  const plateMissing = s.mode === 'plate' && s.recognizer !== null && !s.tasks.includes('plate');
  const notice = s.loadError
    ? `Models failed to load: ${s.loadError}`
    : plateMissing
      ? s.settings.cloud && s.settings.apiKey
        ? 'Plate models not available on this device yet — plates are read by the CarsXE cloud.'
        : 'Plate models not available yet. VIN mode works on this device; turn on the cloud fallback in Settings to read plates with CarsXE.'
      : '';
  els.notice.textContent = notice;
  els.notice.hidden = !notice;
  els.notice.dataset.kind = s.loadError ? 'error' : 'info';

  const camera = s.source.kind === 'camera';
  els.camera.textContent = camera ? 'Stop camera' : 'Start camera';
  els.camera.setAttribute('aria-pressed', String(camera));
  els.photo.hidden = s.source.kind !== 'image';
  els.video.hidden = !camera;
  els.stage.classList.toggle('empty', s.source.kind === 'none');
  els.stage.classList.toggle('busy', s.busy);

  els.plateOptions.hidden = s.mode !== 'plate';
  els.liveStats.parentElement!.hidden = !camera;
  if (camera) {
    renderLive(els, s.live, mediaSize(s));
    els.source.textContent = s.live ? `on device (${s.backend ? BACKEND_NAMES[s.backend] : '?'})` : '–';
    els.source.dataset.source = s.live ? 'local' : '';
  } else renderOutcome(s);
}

function renderOutcome(s: State): void {
  const o = s.outcome;
  const shapes: Shape[] =
    o?.kind === 'vin' ? vinShapes(o.response, s.settings.threshold) : o?.kind === 'plate' ? plateShapes(o.response, s.settings.threshold) : [];
  const size = mediaSize(s);
  if (size) drawOverlay(els.overlay, size.width, size.height, shapes);
  else drawOverlay(els.overlay, 1, 1, []);

  els.summary.replaceChildren();
  els.json.textContent = o ? JSON.stringify(o.kind === 'error' ? { success: false, ...o.error } : o.response, null, 2) : '{}';
  els.time.textContent = o ? `${Math.round(o.ms)} ms` : '–';
  const source = o && o.kind !== 'error' ? (o.response.source ?? 'local') : null;
  els.source.textContent = source === 'cloud' ? 'CarsXE cloud' : source === 'local' ? `on device (${s.backend ? BACKEND_NAMES[s.backend] : '?'})` : '–';
  els.source.dataset.source = source ?? '';

  if (!o) {
    els.summary.append(p('muted', s.source.kind === 'none' ? 'Open an image or start the camera.' : 'Reading…'));
    return;
  }
  if (o.kind === 'error') {
    const none = o.error.status === 404 || o.error.code === 'NO_VIN' || o.error.code === 'NO_PLATE' || o.error.code === 'NO_TEXT';
    els.summary.append(p(none ? 'muted' : 'error', none ? (o.mode === 'vin' ? 'No VIN found.' : 'No plate found.') : o.error.message));
    return;
  }
  const items =
    o.kind === 'vin'
      ? o.response.success && o.response.vin
        ? [{ text: o.response.vin, score: o.response.confidence, extra: '' }]
        : []
      : o.response.results.map((r) => ({
          text: r.plate.toUpperCase(),
          score: r.score,
          extra: r.region ? `region ${r.region.code} (${(r.region.score * 100).toFixed(0)}%)` : '',
          candidates: (r.candidates ?? []).map((c) => ({ text: c.plate.toUpperCase(), score: c.score })),
        }));
  if (items.length === 0) {
    els.summary.append(p('muted', o.kind === 'vin' ? 'No VIN found.' : 'No plate found.'));
    return;
  }
  for (const it of items) {
    const row = document.createElement('div');
    row.className = 'reading';
    const text = document.createElement('output');
    text.className = 'reading-text';
    text.textContent = it.text;
    const score = document.createElement('span');
    const low = it.score < s.settings.threshold;
    score.className = `score${low ? ' low' : ''}`;
    score.textContent = `${(it.score * 100).toFixed(0)}%${low ? ' · low' : ''}`;
    row.append(text, score);
    if (it.extra) row.append(p('muted small', it.extra));
    // the other readings: the right one is often the second
    if ('candidates' in it && it.candidates.length > 1) row.append(candidatesList(it.candidates, `Candidates for ${it.text}`));
    if (source === 'cloud') {
      const badge = document.createElement('span');
      badge.className = 'badge cloud';
      badge.textContent = 'cloud';
      row.append(badge);
    }
    els.summary.append(row);
  }
  if (o.kind === 'vin' && o.response.vin) els.summary.append(vinDecodeView(o.response.vin, o.response.orientation));
}

function mediaSize(s: State): { width: number; height: number } | null {
  if (s.source.kind === 'image') return { width: s.source.width, height: s.source.height };
  if (s.source.kind === 'camera' && els.video.videoWidth > 0) return { width: els.video.videoWidth, height: els.video.videoHeight };
  return null;
}

function p(cls: string, text: string): HTMLParagraphElement {
  const el = document.createElement('p');
  el.className = cls;
  el.textContent = text;
  return el;
}
