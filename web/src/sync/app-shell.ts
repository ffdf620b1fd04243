/** The Cache Storage name shared with web/public/sw.js. */
const SHELL = 'almanac-shell-v1';

/**
 * Let the app open offline: register the service worker (web/public/sw.js) and put the page and
 * the assets this page loaded into its cache, dropping those of older builds. Sets
 * `data-offline-ready` on <html> when done. Browsers without service workers (or an insecure
 * origin other than localhost) simply open online only.
 */
export function keepAppShell(): void {
  if (!('serviceWorker' in navigator) || typeof caches === 'undefined' || !navigator.onLine) return;
  void (async () => {
    try {
      await navigator.serviceWorker.register('/sw.js', { scope: '/' });
      const cache = await caches.open(SHELL);
      const assets = performance
        .getEntriesByType('resource')
        .map((r) => new URL(r.name))
        .filter((u) => u.origin === location.origin && u.pathname.startsWith('/assets/'))
        .map((u) => u.pathname);
      const keep = new Set(['/', ...assets]);
      await cache.addAll([...keep]);
      for (const req of await cache.keys()) if (!keep.has(new URL(req.url).pathname)) await cache.delete(req);
      document.documentElement.dataset.offlineReady = 'true';
    } catch (err) {
      console.error('the app will not open offline:', err);
    }
  })();
}
