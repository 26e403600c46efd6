/**
 * Video benchmark (Node, onnxruntime-node): project-made street clips (test/gen/plate-clip.ts,
 * two cars each) pushed frame by frame through createPlateTracker(), clean and degraded (blur +
 * low light), in 'fast' and 'default' mode. Per mode and clip kind: ms per frame, frames per
 * second, single-frame accuracy (in-view plate sightings read exactly by that frame alone),
 * track accuracy (the same sightings, answered by the consensus of the live track over the
 * plate — also through frames where the detector missed it) and
 * cars read (exactly one confirmed track with the right plate).
 *
 *   node --import tsx tools/bench/video.ts [--clips 3] [--size 640x360] [--browser 640x480,1280x720]
 *
 * With --browser, the same clips run in headless Chromium (onnxruntime-web WASM, 2 threads, the
 * package worker) at each size: throughput (each frame awaited: ms per frame, fps) and a live
 * run (frames pushed at 30 fps without waiting: the share the tracker processed, the rest
 * dropped by latest-frame-wins). Prints tables and writes bench-results/video.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createRecognizer } from '../../packages/core/src/node.ts';
import { centreDistance, iou } from '../../packages/core/src/video/boxes.ts';
import { plateClip, type PlateClipOptions } from '../../packages/core/test/gen/plate-clip.ts';
import { createCanvas, ImageData } from '@napi-rs/canvas';
import { openHarness } from './common.ts';

const { values } = parseArgs({
  options: { clips: { type: 'string', default: '3' }, size: { type: 'string', default: '640x360' }, browser: { type: 'string' }, 'skip-node': { type: 'boolean' } },
});
const [W, H] = values.size!.split('x').map(Number);
const nClips = Number(values.clips);

const KINDS: { name: string; degrade?: PlateClipOptions['degrade'] }[] = [
  { name: 'clean' },
  { name: 'degraded (blur 1.6 px, 40 % light)', degrade: { blurPx: 1.6, brightness: 0.4 } },
];
const MODES = ['fast', 'default'] as const;

const rows = [];
const rec = await createRecognizer({ tasks: ['plate'] });
for (const kind of values['skip-node'] ? [] : KINDS) {
  const clips = [];
  for (let c = 0; c < nClips; c++) clips.push(await plateClip({ width: W, height: H, seeds: [21 + 2 * c, 22 + 2 * c], styles: ['eu', 'us'], degrade: kind.degrade }));
  for (const mode of MODES) {
    let ms = 0, frames = 0, sightings = 0, frameRight = 0, trackRight = 0, cars = 0, carsRight = 0;
    for (const clip of clips) {
      const tracker = rec.createPlateTracker({ mode });
      const events = [];
      for (const f of clip.frames()) {
        const t0 = performance.now();
        const u = await tracker.push({ data: f.rgba, width: clip.width, height: clip.height }, f.timestampMs);
        ms += performance.now() - t0;
        frames++;
        events.push(...u.events);
        for (const p of f.plates.filter((x) => x.visible === 1)) {
          sightings++;
          const hit = u.result!.results.find((r) => iou(r.box, p.box) > 0.5);
          if (hit?.plate.toUpperCase() === p.text) frameRight++;
          // the live track over this plate, seen in this frame or coasting through a missed detection
          const track = u.tracks.find((t) => centreDistance(t.box, p.box) < 1.5);
          if (track?.plate.toUpperCase() === p.text) trackRight++;
        }
      }
      events.push(...(await tracker.close()));
      for (const car of clip.cars) {
        cars++;
        const confirmed = events.filter((e) => e.type === 'confirmed' && e.track.firstSeenMs >= (car.enter * 1000) / clip.fps - 1 && e.track.firstSeenMs <= (car.leave * 1000) / clip.fps);
        const ended = events.filter((e) => e.type === 'ended' && confirmed.some((c) => c.track.id === e.track.id));
        if (confirmed.length === 1 && ended[0]?.track.plate.toUpperCase() === car.text) carsRight++;
      }
    }
    const pct = (a: number, b: number) => Math.round((1000 * a) / Math.max(1, b)) / 10;
    rows.push({
      clip: kind.name,
      mode,
      msPerFrame: Math.round((ms / frames) * 10) / 10,
      fps: Math.round((1000 / (ms / frames)) * 10) / 10,
      frameExact: pct(frameRight, sightings),
      trackExact: pct(trackRight, sightings),
      carsRead: `${carsRight}/${cars}`,
      sightings,
    });
  }
}
await rec.dispose();
if (rows.length) {
  console.log(`\nVideo, Node onnxruntime-node 2 threads, ${nClips} clips × 2 cars at ${W}×${H}:\n`);
  console.log('| clip | mode | ms/frame | fps | single-frame exact | track exact | cars read |');
  console.log('|---|---|---|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.clip} | ${r.mode} | ${r.msPerFrame} | ${r.fps} | ${r.frameExact} % | ${r.trackExact} % | ${r.carsRead} |`);
}

const browserRows = [];
for (const size of values.browser ? values.browser.split(',') : []) {
  const [bw, bh] = size.split('x').map(Number);
  const clip = await plateClip({ width: bw, height: bh, seeds: [21, 22], styles: ['eu', 'us'] });
  // frames as JPEG (what a camera pipeline would hand over anyway), decoded to ImageBitmaps in the page
  const jpegs: string[] = [];
  for (const f of clip.frames()) {
    const c = createCanvas(bw, bh);
    c.getContext('2d').putImageData(new ImageData(f.rgba, bw, bh), 0, 0);
    jpegs.push(c.toBuffer('image/jpeg', 92).toString('base64'));
  }
  const b = await openHarness();
  try {
    const res = await b.page.evaluate(
      async ({ jpegs, cars, fps }) => {
        const bitmaps = () => Promise.all(jpegs.map((j) => createImageBitmap(new Blob([Uint8Array.from(atob(j), (ch) => ch.charCodeAt(0))], { type: 'image/jpeg' }))));
        const r = await window.platelens.createRecognizer({ backend: 'wasm', tasks: ['plate'], numThreads: 2, modelBaseUrl: '/' });
        // throughput: each frame awaited (nothing dropped)
        let frames = await bitmaps();
        let t = r.createPlateTracker();
        await t.push(await createImageBitmap(frames[0]), 0); // warm-up
        await t.close();
        t = r.createPlateTracker();
        const confirmed: string[] = [];
        const t0 = performance.now();
        for (let i = 0; i < frames.length; i++) {
          const u = await t.push(frames[i], (i * 1000) / fps);
          for (const e of u.events) if (e.type === 'confirmed') confirmed.push(e.track.plate.toUpperCase());
        }
        const ms = (performance.now() - t0) / frames.length;
        await t.close();
        // live: a 30 fps source, pushed on a timer without waiting (latest frame wins)
        frames = await bitmaps();
        t = r.createPlateTracker();
        const pushes: Promise<unknown>[] = [];
        const liveConfirmed: string[] = [];
        const start = performance.now();
        for (let i = 0; i < frames.length; i++) {
          const due = start + (i * 1000) / 30;
          await new Promise((res) => setTimeout(res, Math.max(0, due - performance.now())));
          pushes.push(t.push(frames[i], performance.now()).then((u) => u.events.forEach((e) => e.type === 'confirmed' && liveConfirmed.push(e.track.plate.toUpperCase()))));
        }
        await Promise.all(pushes);
        const st = t.stats;
        await t.close();
        await r.dispose();
        return { ms, confirmed, cars, live: { processed: st.processed, dropped: st.dropped, liveConfirmed } };
      },
      { jpegs, cars: clip.cars.map((c) => c.text), fps: clip.fps },
    );
    browserRows.push({
      size,
      msPerFrame: Math.round(res.ms * 10) / 10,
      fps: Math.round((1000 / res.ms) * 10) / 10,
      carsRead: `${res.cars.filter((c) => res.confirmed.filter((x) => x === c).length === 1).length}/${res.cars.length}`,
      live30: `${res.live.processed}/${res.live.processed + res.live.dropped} processed`,
      liveCars: `${res.cars.filter((c) => res.live.liveConfirmed.includes(c)).length}/${res.cars.length}`,
    });
  } finally {
    await b.close();
  }
}
if (browserRows.length) {
  console.log('\nVideo, headless Chromium onnxruntime-web WASM 2 threads (one clip, 2 cars, fast mode):\n');
  console.log('| size | ms/frame | fps | cars read | frames of a 30 fps source | cars read live |');
  console.log('|---|---|---|---|---|---|');
  for (const r of browserRows) console.log(`| ${r.size} | ${r.msPerFrame} | ${r.fps} | ${r.carsRead} | ${r.live30} | ${r.liveCars} |`);
}
mkdirSync('bench-results', { recursive: true });
writeFileSync('bench-results/video.json', JSON.stringify({ size: [W, H], clips: nClips, node: rows, browser: browserRows }, null, 2));
