// Almanac's service worker: it keeps the app shell (the page and its built assets) so that the
// app opens without a network. Data is not its business: calendars and contacts are in the
// IndexedDB cache, changes made offline in the outbox. Requests to /dav, /app and /relay are
// never answered here; the page is fetched from the network first and from the cache only when
// that fails; hashed assets (/assets/…, immutable) from the cache first. The page fills the
// cache (web/src/sync/app-shell.ts), so this file has no list of names to keep current.
const SHELL = 'almanac-shell-v1';

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET') return;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin || /^\/(dav|app|relay|\.well-known)(\/|$)/.test(url.pathname)) return;
  if (req.mode === 'navigate') {
    event.respondWith(
      fetch(req).catch(async () => (await caches.match('/', { cacheName: SHELL })) ?? Response.error()),
    );
  } else if (url.pathname.startsWith('/assets/')) {
    event.respondWith(caches.match(req, { cacheName: SHELL }).then((hit) => hit ?? fetch(req)));
  }
});
