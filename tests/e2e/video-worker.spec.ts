/**
 * The video API in the package's module worker (Chromium, WASM): the project-made street clip
 * (two cars, 640×360) pushed as WebCodecs VideoFrames and ImageBitmaps. Frames are transferred
 * (the page's VideoFrame is closed once sent: no main-thread pixel copy), each car becomes one
 * confirmed track with its plate, empty frames are results, a region of interest keeps boxes in
 * frame pixels, and a burst of frames never queues more than one (latest frame wins). Then the
 * README's camera path: watchVideo() on a <video> playing a canvas stream of the clip.
 */
import { expect, test } from '@playwright/test';
import { createCanvas, ImageData } from '@napi-rs/canvas';
import { plateClip } from '../../packages/core/test/gen/plate-clip.ts';

test('plate tracker in the worker: VideoFrame/ImageBitmap transfer, one confirmed track per car, latest frame wins', async ({ page }) => {
  const clip = await plateClip({ width: 640, height: 360 });
  const jpegs: string[] = [];
  for (const f of clip.frames()) {
    const c = createCanvas(clip.width, clip.height);
    c.getContext('2d').putImageData(new ImageData(f.rgba, clip.width, clip.height), 0, 0);
    jpegs.push(c.toBuffer('image/jpeg', 92).toString('base64'));
  }
  await page.goto('/');
  await expect(page.locator('#status')).toHaveText('ready');
  const out = await page.evaluate(
    async ({ jpegs, fps }) => {
      const bitmap = (j: string) => createImageBitmap(new Blob([Uint8Array.from(atob(j), (c) => c.charCodeAt(0))], { type: 'image/jpeg' }));
      const r = await window.platelens.createRecognizer({ backend: 'wasm', tasks: ['plate'], modelBaseUrl: '/' });
      // 1. every frame awaited, alternately a VideoFrame and an ImageBitmap
      const t = r.createPlateTracker();
      const events: { type: string; id: number; plate: string }[] = [];
      let emptyResults = 0;
      let closedAfterPush = 0;
      let videoFrames = 0;
      for (let i = 0; i < jpegs.length; i++) {
        const bmp = await bitmap(jpegs[i]);
        const ts = (i * 1000) / fps;
        let u;
        if (i % 2 === 0) {
          const vf = new VideoFrame(bmp, { timestamp: ts * 1000 });
          bmp.close();
          videoFrames++;
          const p = t.push(vf, ts);
          u = await p;
          // transferred to the worker: nothing left on this side
          if (vf.format === null && vf.codedWidth === 0) closedAfterPush++;
        } else u = await t.push(bmp, ts);
        if (u.result && u.result.results.length === 0) emptyResults++;
        for (const e of u.events) events.push({ type: e.type, id: e.track.id, plate: e.track.plate.toUpperCase() });
      }
      for (const e of await t.close()) events.push({ type: e.type, id: e.track.id, plate: e.track.plate.toUpperCase() });
      // 2. a region of interest (right half): boxes in frame pixels, inside it
      const roi = r.createPlateTracker({ regionOfInterest: { left: 0.5, top: 0, right: 1, bottom: 1 } });
      const roiBoxes: number[] = [];
      for (let i = 10; i < 30; i++) {
        const u = await roi.push(await bitmap(jpegs[i]), (i * 1000) / fps);
        for (const p of u.result!.results) roiBoxes.push(p.box.xmin);
      }
      await roi.close();
      // 3. a burst: 20 frames pushed at once
      const burst = r.createPlateTracker();
      let maxPending = 0;
      const all = [];
      for (let i = 0; i < 20; i++) {
        all.push(burst.push(await bitmap(jpegs[15]), i + 1));
        maxPending = Math.max(maxPending, burst.stats.pending);
      }
      const statuses = (await Promise.all(all)).map((u) => u.status);
      const stats = burst.stats;
      await burst.close();
      // 4. watchVideo on a live <video>: the clip drawn into a canvas at 5 fps (slow motion: this box is slow)
      const canvas = document.createElement('canvas');
      canvas.width = 640;
      canvas.height = 360;
      const ctx = canvas.getContext('2d')!;
      const video = document.createElement('video');
      video.muted = true;
      video.srcObject = canvas.captureStream(5);
      ctx.drawImage(await bitmap(jpegs[0]), 0, 0);
      await video.play();
      const watched = r.createPlateTracker();
      const watchedEvents: string[] = [];
      const watchedStatus: Record<string, number> = {};
      const stop = window.platelens.watchVideo(watched, video, (u) => {
        watchedStatus[u.status] = (watchedStatus[u.status] ?? 0) + 1;
        for (const e of u.events) if (e.type === 'confirmed') watchedEvents.push(e.track.plate.toUpperCase());
      });
      for (let i = 1; i < jpegs.length; i++) {
        ctx.drawImage(await bitmap(jpegs[i]), 0, 0);
        await new Promise((res) => setTimeout(res, 200));
      }
      stop();
      await watched.close();
      await r.dispose();
      return { events, emptyResults, closedAfterPush, videoFrames, roiBoxes, maxPending, statuses, stats, watchedEvents, watchedStatus };
    },
    { jpegs, fps: clip.fps },
  );
  const plates = clip.cars.map((c) => c.text);
  const confirmed = out.events.filter((e) => e.type === 'confirmed');
  expect(confirmed.map((e) => e.plate)).toEqual(plates);
  expect(out.events.filter((e) => e.type === 'ended').map((e) => e.id)).toEqual(confirmed.map((e) => e.id));
  expect(out.emptyResults).toBeGreaterThan(10);
  expect(out.closedAfterPush).toBe(out.videoFrames);
  expect(out.roiBoxes.length).toBeGreaterThan(3);
  expect(out.roiBoxes.every((x) => x >= 320)).toBe(true);
  expect(out.maxPending).toBe(1);
  expect(out.statuses[19]).toBe('processed');
  expect(out.stats.processed + out.stats.dropped).toBe(20);
  expect(out.stats.dropped).toBeGreaterThan(10);
  expect(out.watchedEvents, JSON.stringify(out.watchedStatus)).toEqual(plates);
});
