/** Camera mode's part of the page: tracks over the video, the live readings, frame stats. */
import type { LiveFrame, LiveTrack } from './live.ts';
import { COLORS, drawOverlay, type Shape } from './overlay.ts';

export interface LiveEls {
  overlay: HTMLCanvasElement;
  summary: HTMLElement;
  json: HTMLElement;
  time: HTMLElement;
  liveStats: HTMLElement;
}

/** Confirmed tracks solid; tentative ones (still voting) and coasting ones (missed this frame) dashed. */
export function trackShapes(tracks: readonly LiveTrack[]): Shape[] {
  return tracks.map((t) => ({
    box: t.box,
    label: `${t.text}${t.region ? ` (${t.region.code})` : ''} · ${t.score.toFixed(2)}${t.confirmed ? ' ✓' : ''}`,
    color: t.confirmed ? COLORS.plate : COLORS.low,
    dashed: !t.confirmed || t.missedFrames > 0,
  }));
}

export function renderLive(els: LiveEls, live: LiveFrame | null, size: { width: number; height: number } | null): void {
  if (size) drawOverlay(els.overlay, size.width, size.height, live ? trackShapes(live.tracks) : []);
  els.summary.replaceChildren();
  if (!live) {
    els.summary.append(p('muted', 'Starting the camera…'));
    els.json.textContent = '{}';
    els.time.textContent = '–';
    els.liveStats.textContent = '–';
    return;
  }
  const st = live.stats;
  els.time.textContent = `${Math.round(st.lastFrameMs)} ms`;
  els.liveStats.textContent = `${st.fps.toFixed(1)} fps · ${st.processed} read · ${st.dropped} dropped`;
  els.liveStats.dataset.fps = String(st.fps);
  els.liveStats.dataset.dropped = String(st.dropped);
  els.liveStats.dataset.processed = String(st.processed);
  els.liveStats.dataset.frameMs = String(st.lastFrameMs);
  els.json.textContent = JSON.stringify(live.result, null, 2);
  const tracks = [...live.tracks].sort((a, b) => Number(b.confirmed) - Number(a.confirmed) || b.frames - a.frames);
  if (!tracks.length) {
    els.summary.append(p('muted', live.mode === 'vin' ? 'Looking for a VIN…' : 'Looking for plates…'));
    return;
  }
  for (const t of tracks) {
    const row = document.createElement('div');
    row.className = `reading${t.confirmed ? ' confirmed' : ''}`;
    row.dataset.track = String(t.id);
    const text = document.createElement('output');
    text.className = 'reading-text';
    text.textContent = t.text;
    const score = document.createElement('span');
    score.className = 'score';
    score.textContent = `${(t.score * 100).toFixed(0)}%`;
    const tag = document.createElement('span');
    tag.className = 'muted small';
    tag.textContent = `${t.confirmed ? 'confirmed' : 'reading…'} · ${t.frames} frames${t.region ? ` · ${t.region.code}` : ''}`;
    row.append(text, score, tag);
    els.summary.append(row);
  }
}

function p(cls: string, text: string): HTMLParagraphElement {
  const el = document.createElement('p');
  el.className = cls;
  el.textContent = text;
  return el;
}
