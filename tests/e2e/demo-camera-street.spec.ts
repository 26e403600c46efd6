/**
 * Camera mode on a moving street: Chromium's fake camera plays a project-made Y4M clip (written
 * at test time from the plate-scene generator: two cars drive through a 640×360 street one after
 * the other, empty frames around them; the clip loops). The demo feeds it to the core's plate
 * tracker: each car must be confirmed exactly once per pass with its plate, empty frames are
 * results, the history lists both cars, a read shows its candidates and exports as JSON.
 */
import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { plateClip } from '../../packages/core/test/gen/plate-clip.ts';
import { fakeCamera, openDemo, shownJson } from './demo-helpers.ts';
import { writeY4m } from './y4m.ts';

// The clip must exist before the browser starts (its path is a launch argument).
const STREET = join(tmpdir(), `platelens-demo-street-${process.pid}.y4m`);
// two cars, 640×360 at 10 fps, 6.6 s: small enough for the 2-core CI box
const street = await plateClip({ width: 640, height: 360, fps: 10 });
writeY4m(STREET, (function* () {
  for (const f of street.frames()) yield f.rgba;
})(), street.width, street.height, street.fps);

test.use(fakeCamera(STREET));


test('plate mode tracks the cars: one confirmed read per car, empty frames are no errors, history and export', async ({ page, context }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await context.grantPermissions(['camera', 'clipboard-read', 'clipboard-write']);
  await openDemo(page);
  await page.getByRole('radio', { name: 'Plate' }).check();
  await page.getByRole('button', { name: 'Start camera' }).click();
  const plates = street.cars.map((c) => c.text);
  expect(new Set(plates).size).toBe(2);
  // both cars confirmed, each once: the history lists exactly the two plates
  const items = page.locator('#history-list .history-item');
  await expect.poll(async () => (await items.evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.text))).sort(), { timeout: 120_000 }).toEqual([...plates].sort());
  // the clip loops: over its passes the confirmations alternate between the two cars (the
  // camera may start anywhere in the clip) — a car confirmed twice in a row would be one car
  // split into two tracks, and any other text a misread
  const sequence = ((await page.locator('#history-list').getAttribute('data-confirmations')) ?? '').split(',');
  const trackIds = await page.locator('#history-list').getAttribute('data-confirmed-tracks');
  const note = `confirmations ${sequence.join(',')} (tracks ${trackIds})`;
  expect(sequence.every((p) => plates.includes(p)), note).toBe(true);
  sequence.forEach((p, i) => i > 0 && expect(p, note).not.toBe(sequence[i - 1]));
  expect(new Set(trackIds!.split(',')).size, note).toBe(sequence.length);
  // between the cars the frames are empty: a result (shown as the frame's JSON), not an error
  await expect.poll(async () => shownJson(page), { timeout: 30_000, intervals: [50] }).toEqual(expect.objectContaining({ success: true, results: [] }));
  // live stats: frames were read, some dropped while the worker was busy (latest frame wins)
  const stats = await page.locator('#live-stats').evaluate((e) => ({ ...(e as HTMLElement).dataset }));
  test.info().annotations.push({ type: 'live stats', description: JSON.stringify(stats) });
  console.log(`[demo-camera] street clip live stats: ${JSON.stringify(stats)}`);
  // (how many depends on the host's speed: at least the two frames each confirmation needs and an empty one)
  expect(Number(stats.processed)).toBeGreaterThanOrEqual(2 * sequence.length + 1);
  expect(Number(stats.fps)).toBeGreaterThan(0);
  // tap a read: its candidates
  const first = items.filter({ hasText: plates[0] });
  await first.locator('summary').click();
  await page.screenshot({ path: 'test-results/demo-camera-street.png', fullPage: true });
  await expect(first.getByRole('list', { name: `Candidates for ${plates[0]}` }).locator('li').first()).toContainText(plates[0]);
  await expect(first.locator('.badge')).toHaveText('local');
  // copy to the clipboard
  await first.getByRole('button', { name: `Copy ${plates[0]}` }).click();
  await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(plates[0]);
  // export: JSON with both reads
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export JSON' }).click();
  const file = await (await download).path();
  const exported = JSON.parse(readFileSync(file, 'utf8')) as { text: string; kind: string; frames: number }[];
  expect(exported.map((e) => e.text).sort()).toEqual([...plates].sort());
  expect(exported.every((e) => e.kind === 'plate' && e.frames >= 2)).toBe(true);
  const csvDownload = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export CSV' }).click();
  const csv = readFileSync(await (await csvDownload).path(), 'utf8').trimEnd().split('\n');
  expect(csv[0]).toMatch(/^kind,text,score,region/);
  expect(csv.slice(1).map((l) => l.split(',')[1]).sort()).toEqual([...plates].sort());
  await page.getByRole('button', { name: 'Stop camera' }).click();
  await expect(page.getByRole('button', { name: 'Start camera' })).toHaveAttribute('aria-pressed', 'false');
  expect(errors).toEqual([]);
  // the history is still there on the next visit; Clear empties it
  await page.reload();
  await expect(items).toHaveCount(2);
  await page.getByRole('button', { name: 'Clear' }).click();
  await expect(items).toHaveCount(0);
  await page.reload();
  await expect(page.locator('#history-empty')).toBeVisible();
  await expect(items).toHaveCount(0);
});
