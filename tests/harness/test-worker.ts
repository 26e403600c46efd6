// The package's real worker plus one test hook: after {platelensTestCrashOnMessage: n}, the n-th
// message that follows makes it throw an uncaught error (as a wasm abort or a bug in a callback
// would), at the moment that call arrives, so the calls behind it are certainly still pending
// (a crash scheduled on a timer could run only after the worker had answered them all).
import '@platelens/core/worker';

let crashIn = 0;
self.addEventListener('message', (e: MessageEvent) => {
  const arm = (e.data as { platelensTestCrashOnMessage?: number } | null)?.platelensTestCrashOnMessage;
  if (arm) {
    crashIn = arm;
    return;
  }
  if (crashIn > 0 && --crashIn === 0) throw new Error('test crash');
});
