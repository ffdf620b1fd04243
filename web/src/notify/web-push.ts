/**
 * Web Push for this browser (issue #18 item 4), a section of the Account dialog: subscribe the
 * browser (PushManager with the server's VAPID key, RFC 8292 §4), register the subscription
 * with the server (/app/push), choose what to hear of (invitations, reminders; per user), list
 * the user's browsers and remove any. The service worker (web/public/sw.js) shows what arrives;
 * it reads its words, in the user's language, from what `keepWords` stores here.
 */
import { browserPush, type BrowserPushInfo } from '../api.js';
import { locale, t } from '../i18n/i18n.js';
import { showError } from '../ui/dialog.js';
import { clear, h } from '../ui/dom.js';

const PUSH_CACHE = 'almanac-push-v1';
const PUSH_TEXT = '/push-text.json';

function supported(): boolean {
  return 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window;
}

/** base64url → the bytes PushManager.subscribe wants as applicationServerKey. */
function keyBytes(b64url: string): Uint8Array<ArrayBuffer> {
  const b64 = b64url.replace(/-/g, '+').replace(/_/g, '/');
  const raw = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  const bytes = new Uint8Array(new ArrayBuffer(raw.length));
  for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
  return bytes;
}

/** What the list shows for this browser: its name and system, from the user agent. */
function browserLabel(): string {
  const ua = navigator.userAgent;
  const name = /Firefox\//.test(ua)
    ? 'Firefox'
    : /Edg\//.test(ua)
      ? 'Edge'
      : /Chrom/.test(ua)
        ? 'Chrome'
        : /Safari\//.test(ua)
          ? 'Safari'
          : 'Browser';
  const os = /Android/.test(ua)
    ? 'Android'
    : /iPhone|iPad/.test(ua)
      ? 'iOS'
      : /Mac OS/.test(ua)
        ? 'macOS'
        : /Windows/.test(ua)
          ? 'Windows'
          : /Linux/.test(ua)
            ? 'Linux'
            : '';
  return os ? `${name} · ${os}` : name;
}

/** The service worker's words, in the user's language (it cannot load the catalogs itself). */
async function keepWords(): Promise<void> {
  const cache = await caches.open(PUSH_CACHE);
  const words = {
    invitation: t('push.invitationFrom', { from: '\u0000' }).replace('\u0000', '{{from}}'),
    reminder: t('push.reminder'),
    locale: locale(),
  };
  await cache.put(PUSH_TEXT, new Response(JSON.stringify(words), { headers: { 'Content-Type': 'application/json' } }));
}

async function currentSubscription(): Promise<PushSubscription | null> {
  const reg = await navigator.serviceWorker.getRegistration('/');
  return reg ? reg.pushManager.getSubscription() : null;
}

async function subscribeHere(vapidPublicKey: string): Promise<void> {
  if ((await Notification.requestPermission()) !== 'granted') throw new Error(t('push.denied'));
  const reg =
    (await navigator.serviceWorker.getRegistration('/')) ??
    (await navigator.serviceWorker.register('/sw.js', { scope: '/' }));
  await navigator.serviceWorker.ready;
  const sub = await reg.pushManager.subscribe({
    userVisibleOnly: true,
    applicationServerKey: keyBytes(vapidPublicKey),
  });
  const json = sub.toJSON();
  await keepWords();
  await browserPush.add({
    endpoint: sub.endpoint,
    keys: { p256dh: json.keys?.p256dh ?? '', auth: json.keys?.auth ?? '' },
    label: browserLabel(),
  });
}

function checkbox(label: string, checked: boolean, name: string): HTMLInputElement {
  return h('input', { type: 'checkbox', name, ...(checked ? { checked: true } : {}), 'aria-label': label });
}

function render(box: HTMLElement, info: BrowserPushInfo, here: PushSubscription | null, refresh: () => void): void {
  clear(box);
  const fail = (err: unknown): void => void showError(err);
  const mine = here ? info.subscriptions.find((s) => s.endpoint === here.endpoint) : undefined;
  if (!supported()) box.append(h('p.hint', {}, t('push.unsupported')));
  else if (Notification.permission === 'denied') box.append(h('p.hint', {}, t('push.denied')));
  else {
    const toggle = h('button.secondary', { type: 'button' }, mine ? t('push.disable') : t('push.enable'));
    toggle.addEventListener('click', () => {
      toggle.disabled = true;
      const done = mine
        ? browserPush.remove(mine.id).then(() => here?.unsubscribe())
        : subscribeHere(info.vapidPublicKey);
      done.then(refresh, (err: unknown) => {
        toggle.disabled = false;
        fail(err);
      });
    });
    box.append(toggle);
  }
  const invitations = checkbox(t('push.invitations'), info.settings.invitations, 'push-invitations');
  const alarms = checkbox(t('push.alarms'), info.settings.alarms, 'push-alarms');
  const save = (): void =>
    void browserPush.settings({ invitations: invitations.checked, alarms: alarms.checked }).catch(fail);
  invitations.addEventListener('change', save);
  alarms.addEventListener('change', save);
  const list = h('ul.push-browsers', { 'aria-label': t('push.browsers') });
  for (const s of info.subscriptions) {
    const remove = h('button.secondary.danger', { type: 'button' }, t('push.remove'));
    remove.addEventListener('click', () => {
      remove.disabled = true;
      browserPush.remove(s.id).then(refresh, fail);
    });
    const name = s === mine ? `${s.label} ${t('push.thisBrowser')}` : s.label;
    list.append(h('li.push-browser', { 'data-id': s.id }, h('span.name', {}, name), remove));
  }
  if (info.subscriptions.length === 0) list.append(h('li.empty', {}, t('push.none')));
  box.append(
    h('label.check', {}, invitations, ' ', t('push.invitations')),
    h('label.check', {}, alarms, ' ', t('push.alarms')),
    list,
  );
}

/** The "Notifications" part of the Account dialog. */
export function browserPushSection(): HTMLElement {
  const box = h('div.push-settings');
  const refresh = (): void =>
    void Promise.all([browserPush.get(), supported() ? currentSubscription() : null]).then(
      ([info, here]) => render(box, info, here, refresh),
      (err: unknown) => void showError(err),
    );
  refresh();
  return h('section.browser-push', {}, h('h3', {}, t('push.title')), h('p.hint', {}, t('push.hint')), box);
}
