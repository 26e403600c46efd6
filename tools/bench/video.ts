/**
 * Video benchmark (Node, onnxruntime-node): project-made street clips (test/gen/plate-clip.ts,
 * two cars each) pushed frame by frame through createPlateTracker(), clean and degraded (blur +
 * low light), in 'fast' and 'default' mode. Per mode and clip kind: ms per frame, frames per
 * second, single-frame accuracy (in-view plate sightings read exactly by that frame alone),
 * track accuracy (the same sightings, answered by the consensus of the live track over the
 * plate — also through frames where the detector missed it) and
 * cars read (exactly one confirmed track with the right plate).
 *
 *   node --import tsx tools/bench/video.ts [--clips 3] [--size 640x360]
 *
 * Prints a table and writes bench-results/video.json. The browser's fps comes from the demo's
 * camera test (tests/e2e/demo-camera.spec.ts), which logs effective fps and dropped frames.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createRecognizer } from '../../packages/core/src/node.ts';
import { centreDistance, iou } from '../../packages/core/src/video/boxes.ts';
import { plateClip, type PlateClipOptions } from '../../packages/core/test/gen/plate-clip.ts';

const { values } = parseArgs({ options: { clips: { type: 'string', default: '3' }, size: { type: 'string', default: '640x360' } } });
const [W, H] = values.size!.split('x').map(Number);
const nClips = Number(values.clips);

const KINDS: { name: string; degrade?: PlateClipOptions['degrade'] }[] = [
  { name: 'clean' },
  { name: 'degraded (blur 1.6 px, 40 % light)', degrade: { blurPx: 1.6, brightness: 0.4 } },
];
const MODES = ['fast', 'default'] as const;

const rec = await createRecognizer({ tasks: ['plate'] });
const rows = [];
for (const kind of KINDS) {
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
console.log(`\nVideo, Node onnxruntime-node 2 threads, ${nClips} clips × 2 cars at ${W}×${H}:\n`);
console.log('| clip | mode | ms/frame | fps | single-frame exact | track exact | cars read |');
console.log('|---|---|---|---|---|---|---|');
for (const r of rows) console.log(`| ${r.clip} | ${r.mode} | ${r.msPerFrame} | ${r.fps} | ${r.frameExact} % | ${r.trackExact} % | ${r.carsRead} |`);
mkdirSync('bench-results', { recursive: true });
writeFileSync('bench-results/video.json', JSON.stringify({ size: [W, H], clips: nClips, rows }, null, 2));
