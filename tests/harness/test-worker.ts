// The package's real worker plus one test hook: {platelensTestCrash: true} makes it
// throw an uncaught error (as a wasm abort or a bug in a callback would).
import '@platelens/core/worker';

self.addEventListener('message', (e: MessageEvent) => {
  if ((e.data as { platelensTestCrash?: boolean } | null)?.platelensTestCrash) {
    setTimeout(() => {
      throw new Error('test crash');
    });
  }
});
