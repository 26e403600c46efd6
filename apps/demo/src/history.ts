/**
 * The history of confirmed reads in camera mode: one entry per vehicle, with a thumbnail,
 * kept in this browser (localStorage, the newest 100). A plate confirmed again within REPEAT_MS of its last sighting (the
 * same car after an occlusion, or parked in view) adds to its entry instead of a new row.
 * Renders itself (it changes a few times a minute, not at the frame rate) and exports CSV/JSON.
 */
export interface HistoryEntry {
  key: string;
  kind: 'plate' | 'vin';
  /** Upper case. */
  text: string;
  score: number;
  region?: { code: string; score: number };
  candidates: { text: string; score: number }[];
  firstSeen: number;
  lastSeen: number;
  frames: number;
  source: 'local' | 'cloud';
  thumb: string;
  trackIds: number[];
}

export interface TrackRead {
  id: number;
  kind: 'plate' | 'vin';
  text: string;
  score: number;
  region?: { code: string; score: number };
  candidates: { text: string; score: number }[];
  frames: number;
}

const REPEAT_MS = 60_000;
/** Kept in this browser between visits (localStorage), newest this many. */
const KEEP = 100;
const STORE_KEY = 'platelens.demo.history';

function load(): HistoryEntry[] {
  try {
    const v = JSON.parse(localStorage.getItem(STORE_KEY) ?? '[]') as HistoryEntry[];
    return Array.isArray(v) ? v.filter((e) => e && typeof e.text === 'string' && Array.isArray(e.trackIds)) : [];
  } catch {
    return [];
  }
}

function save(entries: readonly HistoryEntry[]): void {
  try {
    localStorage.setItem(STORE_KEY, JSON.stringify(entries.slice(-KEEP)));
  } catch {
    /* quota / private mode: the history lasts for this visit */
  }
}

export function createHistory(root: HTMLElement) {
  const entries: HistoryEntry[] = load();
  const list = root.querySelector<HTMLOListElement>('#history-list')!;
  const empty = root.querySelector<HTMLElement>('#history-empty')!;
  const confirmations: string[] = [];
  const confirmedTracks: number[] = [];
  // entries the user opened stay open when the list is drawn again (a later read re-renders it)
  const open = new Set<string>();
  // "Copied" stays on its button for a moment even if the list is drawn again meanwhile
  const copied = new Map<string, number>();
  let seq = entries.reduce((m, e) => Math.max(m, Number(e.key.slice(1)) || 0), 0);

  const byTrack = (id: number, kind: string) => entries.find((e) => e.kind === kind && e.trackIds.includes(id));

  function render(): void {
    if (entries.length > KEEP) entries.splice(0, entries.length - KEEP);
    save(entries);
    empty.hidden = entries.length > 0;
    for (const b of root.querySelectorAll<HTMLButtonElement>('[data-needs-entries]')) b.disabled = entries.length === 0;
    // the order of confirmations, for tests and for anyone reading the page source
    list.dataset.confirmations = confirmations.join(',');
    list.dataset.confirmedTracks = confirmedTracks.join(',');
    list.replaceChildren(...[...entries].reverse().map(item));
  }

  function item(e: HistoryEntry): HTMLLIElement {
    const li = document.createElement('li');
    li.className = 'history-item';
    li.dataset.key = e.key;
    li.dataset.text = e.text;
    li.dataset.tracks = String(e.trackIds.length);
    const details = document.createElement('details');
    details.open = open.has(e.key);
    details.addEventListener('toggle', () => (details.open ? open.add(e.key) : open.delete(e.key)));
    const summary = document.createElement('summary');
    const img = document.createElement('img');
    img.className = 'thumb';
    img.src = e.thumb;
    img.alt = `${e.kind === 'vin' ? 'VIN' : 'Plate'} ${e.text}`;
    img.width = 96;
    img.height = 48;
    const text = document.createElement('span');
    text.className = 'history-text';
    text.textContent = e.text;
    const meta = document.createElement('span');
    meta.className = 'muted small';
    const region = e.region ? ` · ${e.region.code.toUpperCase()}` : '';
    meta.textContent = `${pct(e.score)}${region} · ${new Date(e.lastSeen).toLocaleTimeString()}`;
    const badge = document.createElement('span');
    badge.className = `badge ${e.source}`;
    badge.textContent = e.source;
    summary.append(img, text, meta, badge);
    const body = document.createElement('div');
    body.className = 'history-body';
    const facts = document.createElement('p');
    facts.className = 'muted small';
    facts.textContent = `${e.frames} frames · first seen ${new Date(e.firstSeen).toLocaleTimeString()}${e.trackIds.length > 1 ? ` · seen ${e.trackIds.length} times` : ''}${e.region ? ` · region ${e.region.code} (${pct(e.region.score)})` : ''}`;
    const copy = document.createElement('button');
    copy.type = 'button';
    copy.className = 'button small-button';
    copy.textContent = Date.now() - (copied.get(e.key) ?? -Infinity) < COPIED_MS ? 'Copied' : 'Copy';
    copy.setAttribute('aria-label', `Copy ${e.text}`);
    copy.addEventListener('click', async () => {
      const ok = await copyText(e.text);
      if (ok) copied.set(e.key, Date.now());
      copy.textContent = ok ? 'Copied' : 'Copy failed';
      setTimeout(() => {
        copy.textContent = 'Copy';
        copied.delete(e.key);
      }, COPIED_MS);
    });
    body.append(candidatesList(e.candidates, `Candidates for ${e.text}`), facts, copy);
    details.append(summary, body);
    li.append(details);
    return li;
  }

  return {
    get entries(): readonly HistoryEntry[] {
      return entries;
    },
    /** A confirmed track: a new entry, or one more sighting of a recent entry with the same text. */
    confirmed(t: TrackRead, thumb: string, now = Date.now()): HistoryEntry {
      confirmations.push(t.text);
      confirmedTracks.push(t.id);
      const repeat = entries.find((e) => e.kind === t.kind && e.text === t.text && now - e.lastSeen < REPEAT_MS);
      if (repeat) {
        repeat.trackIds.push(t.id);
        repeat.lastSeen = now;
        repeat.frames += t.frames;
        if (t.score > repeat.score) Object.assign(repeat, { score: t.score, candidates: t.candidates, region: t.region, thumb });
        render();
        return repeat;
      }
      const e: HistoryEntry = { key: `r${++seq}`, ...t, firstSeen: now, lastSeen: now, source: 'local', thumb, trackIds: [t.id] };
      delete (e as Partial<TrackRead>).id;
      entries.push(e);
      render();
      return e;
    },
    /** A confirmed track's consensus changed, or it ended: its entry follows the latest vote. */
    changed(t: TrackRead, now = Date.now()): void {
      const e = byTrack(t.id, t.kind);
      if (!e || e.source === 'cloud') return;
      Object.assign(e, { text: t.text, score: t.score, candidates: t.candidates, region: t.region, lastSeen: now });
      if (e.trackIds.length === 1) e.frames = t.frames;
      render();
    },
    /** The cloud read the same vehicle better. */
    fromCloud(key: string, read: { text: string; score: number; region?: { code: string; score: number }; candidates: { text: string; score: number }[] }): void {
      const e = entries.find((x) => x.key === key);
      if (!e) return;
      Object.assign(e, read, { source: 'cloud' as const });
      render();
    },
    clear(): void {
      entries.length = 0;
      confirmations.length = 0;
      confirmedTracks.length = 0;
      render();
    },
    render,
  };
}

export type History = ReturnType<typeof createHistory>;

const pct = (x: number) => `${Math.round(x * 100)}%`;

export function candidatesList(cands: readonly { text: string; score: number }[], label: string): HTMLOListElement {
  const ol = document.createElement('ol');
  ol.className = 'candidates';
  ol.setAttribute('aria-label', label);
  for (const c of cands) {
    const li = document.createElement('li');
    const t = document.createElement('span');
    t.className = 'candidate-text';
    t.textContent = c.text;
    const s = document.createElement('span');
    s.className = 'muted';
    s.textContent = pct(c.score);
    li.append(t, s);
    ol.append(li);
  }
  return ol;
}

const COPIED_MS = 1500;

async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

const iso = (ms: number) => new Date(ms).toISOString();

/** Plain rows for export (no thumbnails). */
function rows(entries: readonly HistoryEntry[]) {
  return entries.map((e) => ({
    kind: e.kind,
    text: e.text,
    score: e.score,
    region: e.region?.code ?? '',
    region_score: e.region?.score ?? '',
    first_seen: iso(e.firstSeen),
    last_seen: iso(e.lastSeen),
    frames: e.frames,
    sightings: e.trackIds.length,
    source: e.source,
    candidates: e.candidates.map((c) => `${c.text}:${c.score}`).join(' '),
  }));
}

export function historyCsv(entries: readonly HistoryEntry[]): string {
  const r = rows(entries);
  const head = ['kind', 'text', 'score', 'region', 'region_score', 'first_seen', 'last_seen', 'frames', 'sightings', 'source', 'candidates'] as const;
  const cell = (v: unknown) => {
    const s = String(v);
    return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [head.join(','), ...r.map((x) => head.map((h) => cell(x[h])).join(','))].join('\n') + '\n';
}

export function historyJson(entries: readonly HistoryEntry[]): string {
  return JSON.stringify(
    entries.map((e) => ({ kind: e.kind, text: e.text, score: e.score, region: e.region, candidates: e.candidates, firstSeen: iso(e.firstSeen), lastSeen: iso(e.lastSeen), frames: e.frames, sightings: e.trackIds.length, source: e.source })),
    null,
    2,
  );
}

export function download(name: string, type: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
