// Exposes the real browser entry of @platelens/core to Playwright tests.
import * as platelens from '@platelens/core';
import * as cloud from '@platelens/cloud';

declare global {
  interface Window {
    platelens: typeof platelens;
    platelensCloud: typeof cloud;
    benchModel: typeof import('./model-bench.ts').benchModel;
    benchPlateStages: typeof import('./stage-bench.ts').benchPlateStages;
    benchVinStages: typeof import('./stage-bench.ts').benchVinStages;
    /** The package worker with a crash hook (tests/harness/test-worker.ts). */
    testWorker: () => Worker;
  }
}
window.platelens = platelens;
window.platelensCloud = cloud;
window.benchModel = async (...args) => (await import('./model-bench.ts')).benchModel(...args);
window.benchPlateStages = async (...args) => (await import('./stage-bench.ts')).benchPlateStages(...args);
window.benchVinStages = async (...args) => (await import('./stage-bench.ts')).benchVinStages(...args);
window.testWorker = () => new Worker(new URL('./test-worker.ts', import.meta.url), { type: 'module', name: 'platelens-test' });
document.getElementById('status')!.textContent = 'ready';
