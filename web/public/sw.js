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

// Web Push (issue #18 item 4): the server sends a reminder or an invitation as an encrypted JSON
// message (src/domain/push/notice.ts), the browser's push service wakes this worker, and it
// shows a notification even when no tab of the app is open. The words come from the page
// (web/src/notify/web-push.ts keeps them, in the user's language, under PUSH_TEXT); dates are
// formatted by Intl in the browser's own locale. A click focuses an open tab or opens the app.
const PUSH_TEXT = '/push-text.json';
const PUSH_CACHE = 'almanac-push-v1';

async function pushText() {
  try {
    const hit = await caches.match(PUSH_TEXT, { cacheName: PUSH_CACHE });
    if (hit) return await hit.json();
  } catch {
    // no words stored: English below
  }
  return { invitation: 'Invitation from {{from}}', reminder: 'Reminder', locale: undefined };
}

function when(n, locale) {
  if (typeof n.start !== 'number') return '';
  const opts = n.allDay ? { dateStyle: 'full', timeZone: 'UTC' } : { dateStyle: 'medium', timeStyle: 'short' };
  return new Intl.DateTimeFormat(locale, opts).format(new Date(n.start));
}

function show(n, text) {
  const lines = [when(n, text.locale), n.location].filter((s) => typeof s === 'string' && s !== '');
  if (n.kind === 'invitation' && n.from) lines.unshift(String(text.invitation).replace('{{from}}', n.from));
  return self.registration.showNotification(n.title || text.reminder, {
    body: lines.join('\n'),
    tag: typeof n.tag === 'string' ? n.tag : undefined,
    timestamp: typeof n.start === 'number' ? n.start : Date.now(),
    requireInteraction: n.kind === 'alarm',
    data: { kind: n.kind, start: n.start },
  });
}

// Messages are shown one after another, in the order they came: a later message of the same tag
// (an event moved twice) replaces the earlier one, so an earlier one shown last would bring back
// what is no longer true. The browser hands push events over without waiting for the previous
// one's work, and reading the stored words takes a while, so the order is kept here.
let showing = Promise.resolve();

self.addEventListener('push', (event) => {
  let n;
  try {
    n = event.data ? event.data.json() : null;
  } catch {
    n = null;
  }
  if (!n || typeof n.title !== 'string') return;
  const shown = showing.then(() => pushText()).then((text) => show(n, text));
  showing = shown.catch(() => undefined);
  event.waitUntil(shown);
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  event.waitUntil(
    self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then((tabs) => {
      const tab = tabs.find((c) => new URL(c.url).origin === self.location.origin);
      return tab ? tab.focus() : self.clients.openWindow('/');
    }),
  );
});
