/**
 * Browser helper: feeds a <video> (a camera stream) to a tracker, one push per presented
 * frame (requestVideoFrameCallback; animation frames where it is missing). Each frame is taken
 * as an ImageBitmap when it is presented, so its pixels and its timestamp agree (the tracker's
 * motion model needs that); while the worker is busy the tracker keeps only the newest and
 * closes the rest. onUpdate gets every update, dropped and skipped frames included.
 */
import type { TrackerUpdate, VideoTracker } from './types.ts';

type VideoWithFrameCallback = HTMLVideoElement & {
  requestVideoFrameCallback?: (cb: (now: number) => void) => number;
  cancelVideoFrameCallback?: (handle: number) => void;
};

export function watchVideo<U extends TrackerUpdate<unknown, T>, T>(
  tracker: VideoTracker<U, T>,
  video: HTMLVideoElement,
  onUpdate: (update: U) => void,
  onError: (error: unknown) => void = (e) => console.error('[platelens] video frame failed:', e),
): () => void {
  const v = video as VideoWithFrameCallback;
  let on = true;
  let handle = 0;
  let last = -Infinity;
  const useFrameCallback = typeof v.requestVideoFrameCallback === 'function';
  const next = () => {
    handle = useFrameCallback ? v.requestVideoFrameCallback!(tick) : requestAnimationFrame(tick);
  };
  function tick(now: number) {
    if (!on) return;
    next();
    if (video.readyState < 2 || video.videoWidth === 0) return; // no frame yet
    // two callbacks can share a timestamp; the tracker wants time to move forward
    const ts = now > last ? now : last + 0.001;
    last = ts;
    createImageBitmap(video)
      .then((bitmap) => {
        if (!on) return bitmap.close();
        return tracker.push(bitmap, ts).then((u) => on && onUpdate(u));
      })
      .catch((e) => on && onError(e));
  }
  next();
  return () => {
    on = false;
    if (useFrameCallback) v.cancelVideoFrameCallback?.(handle);
    else cancelAnimationFrame(handle);
  };
}
