/** The demo's history export: CSV quoting and the JSON shape (no thumbnails in either). */
import { describe, expect, it } from 'vitest';
import { historyCsv, historyJson, type HistoryEntry } from '../src/history.ts';

const entry = (over: Partial<HistoryEntry> = {}): HistoryEntry => ({
  key: 'r1',
  kind: 'plate',
  text: 'AB12CDE',
  score: 0.93,
  region: { code: 'gb', score: 0.8 },
  candidates: [
    { text: 'AB12CDE', score: 0.93 },
    { text: 'A812CDE', score: 0.4 },
  ],
  firstSeen: Date.UTC(2026, 0, 2, 3, 4, 5),
  lastSeen: Date.UTC(2026, 0, 2, 3, 4, 9),
  frames: 12,
  source: 'local',
  thumb: 'data:image/jpeg;base64,AAAA',
  trackIds: [3, 9],
  ...over,
});

describe('history export', () => {
  it('CSV: one row per read, fields quoted only when they must be', () => {
    const csv = historyCsv([entry(), entry({ key: 'r2', kind: 'vin', text: '1HGCM82633A004352', region: undefined, candidates: [{ text: 'X,"Y"', score: 0.5 }] })]);
    const lines = csv.trimEnd().split('\n');
    expect(lines[0]).toBe('kind,text,score,region,region_score,first_seen,last_seen,frames,sightings,source,candidates');
    expect(lines[1]).toBe('plate,AB12CDE,0.93,gb,0.8,2026-01-02T03:04:05.000Z,2026-01-02T03:04:09.000Z,12,2,local,AB12CDE:0.93 A812CDE:0.4');
    expect(lines[2]).toBe('vin,1HGCM82633A004352,0.93,,,2026-01-02T03:04:05.000Z,2026-01-02T03:04:09.000Z,12,2,local,"X,""Y"":0.5"');
    expect(csv).not.toContain('base64');
  });

  it('JSON: plain reads with ISO times and candidates, without thumbnails', () => {
    const [j] = JSON.parse(historyJson([entry()]));
    expect(j).toEqual({
      kind: 'plate',
      text: 'AB12CDE',
      score: 0.93,
      region: { code: 'gb', score: 0.8 },
      candidates: entry().candidates,
      firstSeen: '2026-01-02T03:04:05.000Z',
      lastSeen: '2026-01-02T03:04:09.000Z',
      frames: 12,
      sightings: 2,
      source: 'local',
    });
  });
});
