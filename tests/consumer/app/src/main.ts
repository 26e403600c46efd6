// A user's app: the README's browser usage, nothing repo-specific. ?task=plate|vin&backend=…&models=…
import { createRecognizer, PlateLensError, type BackendPreference, type ProgressEvent } from '@platelens/core';

const out = document.querySelector<HTMLPreElement>('#out')!;
const params = new URLSearchParams(location.search);
const task = params.get('task') === 'vin' ? 'vin' : 'plate';
const backend = (params.get('backend') ?? 'auto') as BackendPreference;
const modelBaseUrl = params.get('models') ?? undefined; // default: ./models/ (the models plugin puts them there)
const image = task === 'vin' ? './vin-door-sticker.jpg' : './plate-street.jpg';

async function run(): Promise<object> {
  const stages: ProgressEvent['stage'][] = []; // distinct stages, in the order they came
  // since navigation start: when each stage was first and last reported (the cold-start breakdown)
  const stageMs: Partial<Record<ProgressEvent['stage'], { first: number; last: number }>> = {};
  const sessionMs: number[] = []; // as each model's session starts, and when all are built
  const t0 = performance.now();
  const onProgress = (e: ProgressEvent) => {
    if (stages.at(-1) !== e.stage) stages.push(e.stage);
    const now = Math.round(performance.now());
    stageMs[e.stage] = { first: stageMs[e.stage]?.first ?? now, last: now };
    if (e.stage === 'session') sessionMs.push(now);
  };
  try {
    const recognizer = await createRecognizer({ tasks: [task], backend, modelBaseUrl, onProgress });
    const readyMs = Math.round(performance.now() - t0);
    const blob = await (await fetch(image)).blob();
    const response = task === 'vin' ? await recognizer.readVin(blob) : await recognizer.recognizePlate(blob);
    const used = recognizer.backend;
    await recognizer.dispose();
    // since navigation start, for the cold-start benchmark (tools/bench/cold-start.ts)
    const sincePageMs = { ready: Math.round(t0 + readyMs), result: Math.round(performance.now()) };
    return { ok: true, backend: used, readyMs, sincePageMs: { start: Math.round(t0), ...sincePageMs }, stageMs, sessionMs, isolated: crossOriginIsolated, stages, response };
  } catch (e) {
    const code = e instanceof PlateLensError ? e.code : undefined;
    return { ok: false, code, message: String(e), ms: Math.round(performance.now() - t0), stages };
  }
}

void run().then((result) => {
  out.textContent = JSON.stringify(result);
  out.dataset.done = 'true';
});
