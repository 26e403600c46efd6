// Exposes the real browser entry of @platelens/core to Playwright tests.
import * as platelens from '@platelens/core';

declare global {
  interface Window {
    platelens: typeof platelens;
  }
}
window.platelens = platelens;
document.getElementById('status')!.textContent = 'ready';
