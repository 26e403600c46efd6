/** Image sources: file picker, drag and drop, paste, and the camera. */

/** Calls onImage with the first image file chosen, dropped on `dropTarget` or pasted anywhere. */
export function bindImageInputs(fileInput: HTMLInputElement, dropTarget: HTMLElement, onImage: (file: File) => void): void {
  fileInput.addEventListener('change', () => {
    const f = fileInput.files?.[0];
    if (f) onImage(f);
    fileInput.value = ''; // choosing the same file again fires change again
  });
  // Enter/Space on the empty viewer opens the picker
  dropTarget.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      fileInput.click();
    }
  });
  dropTarget.addEventListener('dragover', (e) => {
    e.preventDefault();
    if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
    dropTarget.classList.add('dragging');
  });
  dropTarget.addEventListener('dragleave', () => dropTarget.classList.remove('dragging'));
  dropTarget.addEventListener('drop', (e) => {
    e.preventDefault();
    dropTarget.classList.remove('dragging');
    const f = firstImage(e.dataTransfer?.files);
    if (f) onImage(f);
  });
  document.addEventListener('paste', (e) => {
    const f = firstImage(e.clipboardData?.files);
    if (f) {
      e.preventDefault();
      onImage(f);
    }
  });
}

function firstImage(files: FileList | undefined | null): File | undefined {
  return [...(files ?? [])].find((f) => f.type.startsWith('image/'));
}

/** Opens the camera (the back camera on phones when there is one) into `video`. */
export async function startCamera(video: HTMLVideoElement): Promise<MediaStream> {
  if (!navigator.mediaDevices?.getUserMedia) throw new Error('This browser has no camera access (it needs HTTPS or localhost).');
  const stream = await navigator.mediaDevices.getUserMedia({
    video: { facingMode: { ideal: 'environment' }, width: { ideal: 1280 }, height: { ideal: 720 } },
    audio: false,
  });
  video.srcObject = stream;
  await video.play();
  return stream;
}

export function stopCamera(video: HTMLVideoElement, stream: MediaStream | null): void {
  stream?.getTracks().forEach((t) => t.stop());
  video.pause();
  video.srcObject = null;
}

/** Resolves at the next presented video frame (or the next animation frame where unsupported). */
export function nextFrame(video: HTMLVideoElement): Promise<void> {
  return new Promise((resolve) => {
    const v = video as HTMLVideoElement & { requestVideoFrameCallback?: (cb: () => void) => number };
    // a timer too: frame callbacks stop while the tab is hidden or the stream stalls
    const timer = setTimeout(resolve, 250);
    const done = () => {
      clearTimeout(timer);
      resolve();
    };
    if (typeof v.requestVideoFrameCallback === 'function') v.requestVideoFrameCallback(done);
    else requestAnimationFrame(done);
  });
}
