// Exposes the real browser entry of @platelens/core to Playwright tests.
import * as platelens from '@platelens/core';
import * as cloud from '@platelens/cloud';

declare global {
  interface Window {
    platelens: typeof platelens;
    platelensCloud: typeof cloud;
  }
}
window.platelens = platelens;
window.platelensCloud = cloud;
document.getElementById('status')!.textContent = 'ready';
