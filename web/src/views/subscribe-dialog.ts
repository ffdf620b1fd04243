import { subscriptions, type Subscription, type SubscriptionResult } from '../api.js';
import { formatDateTime } from '../i18n/dates.js';
import { PALETTE, type AppState, type Source } from '../state.js';
import { confirmDialog, modal, showError, toast } from '../ui/dialog.js';
import { clear, field, h } from '../ui/dom.js';
import './subscribe-dialog.css';

/**
 * "Subscribe to calendar…" (issue #13): .ics feeds the server fetches on a schedule and shows as
 * read-only calendars to every client, and the contact birthday calendar. Lists the
 * subscriptions with their last success and last error (refresh now, unsubscribe), and adds one.
 * Everything goes through /app/subscriptions and /app/birthdays; the calendars themselves are
 * then found by the app's ordinary CalDAV discovery.
 */
export async function subscribeDialog(state: AppState, source: Source, prefill: { url?: string; name?: string } = {}): Promise<void> {
  const url = h('input', { type: 'url', name: 'url', required: true, placeholder: 'https:// or webcal://…', value: prefill.url ?? '' });
  const name = h('input', { type: 'text', name: 'name', placeholder: 'e.g. Public holidays', value: prefill.name ?? '' });
  const color = h('input', { type: 'color', name: 'color', value: PALETTE[(state.calendars().length + 3) % PALETTE.length]!, 'aria-label': 'Colour' });
  const refresh = h('select', { name: 'refresh', 'aria-label': 'Refresh' },
    h('option', { value: 'PT15M' }, 'every 15 minutes'), h('option', { value: 'PT1H', selected: true }, 'every hour'),
    h('option', { value: 'PT6H' }, 'every 6 hours'), h('option', { value: 'P1D' }, 'every day'));
  const list = h('ul.subscriptions', { 'aria-label': 'Subscribed calendars' });
  const birthdays = h('input', { type: 'checkbox', name: 'birthdays' });
  const body = h('div.subscribe-dialog', {},
    h('h3', {}, 'Subscribed calendars'), list,
    h('h3', {}, 'Subscribe to a new calendar'),
    h('p.hint', {}, 'The server fetches the .ics address on a schedule; the calendar is read-only and every CalDAV app of yours sees it.'),
    field('Calendar address', url), field('Name', name), field('Colour', color), field('Refresh', refresh),
    h('label.field.checkbox', {}, birthdays, h('span', {}, 'Show the birthdays and anniversaries of my contacts as a calendar')));
  const reload = async (): Promise<void> => fillList(state, source, list, reload);
  void reload();
  void subscriptions.birthdays().then((b) => { birthdays.checked = b.enabled; }).catch(() => undefined);
  birthdays.addEventListener('change', () => void setBirthdays(state, source, birthdays));
  const { result } = modal('Subscriptions', body, [{ label: 'Close', value: 'cancel' }, { label: 'Subscribe', value: 'ok', kind: 'primary' }], { wide: true });
  if ((await result) !== 'ok' || !url.value.trim()) return;
  try {
    const r = await subscriptions.add({ url: url.value.trim(), name: name.value.trim() || undefined, color: color.value, refresh: refresh.value });
    report(r, name.value.trim() || url.value.trim(), true);
    await state.discover(source);
  } catch (err) {
    // Refused (a private address without the server's flag, not a URL…): say why, keep the form.
    await showError(err);
    await subscribeDialog(state, source, { url: url.value, name: name.value });
  }
}

function report(r: SubscriptionResult, label: string, first = false): void {
  if (r.outcome === 'failed') {
    toast(first ? `Subscribed to ${label}, but the first fetch failed: ${r.lastError ?? 'unknown error'}`
      : `${label} could not be fetched: ${r.lastError ?? 'unknown error'}. Its calendar keeps what it had.`, 'error');
  } else toast(r.lastError ? `${label}: ${r.lastError}` : `${label} is up to date`);
}

function lastSuccess(s: Subscription): string {
  return s.lastSuccessAt !== null ? `Updated ${formatDateTime(new Date(s.lastSuccessAt), 'short')}` : 'Not fetched yet';
}

async function fillList(state: AppState, source: Source, list: HTMLElement, reload: () => Promise<void>): Promise<void> {
  let subs: Subscription[];
  try {
    subs = await subscriptions.list();
  } catch (err) {
    await showError(err);
    return;
  }
  clear(list);
  if (subs.length === 0) list.append(h('li.empty', {}, 'None yet.'));
  for (const s of subs) {
    const cal = state.calendars().find((c) => c.source === source && c.dav.href === s.href);
    const label = cal?.dav.displayName ?? s.url;
    list.append(h('li.subscription', { 'data-href': s.href },
      h('div', {}, h('strong', {}, label), h('div.hint', {}, s.url), h('div.hint', {}, lastSuccess(s)),
        s.lastError ? h('div.error', { role: 'alert' }, `Last error: ${s.lastError}`) : null),
      h('span.actions', {},
        h('button.secondary', { type: 'button', 'aria-label': `Refresh ${label}`, onclick: () => void refreshOne(state, source, s, label, reload) }, 'Refresh'),
        h('button.danger', { type: 'button', 'aria-label': `Unsubscribe ${label}`, onclick: () => void unsubscribe(state, source, s, label, reload) }, 'Unsubscribe'))));
  }
}

async function refreshOne(state: AppState, source: Source, s: Subscription, label: string, reload: () => Promise<void>): Promise<void> {
  try {
    report(await subscriptions.refresh(s.href), label);
    await state.discover(source);
  } catch (err) {
    await showError(err);
  }
  await reload();
}

async function unsubscribe(state: AppState, source: Source, s: Subscription, label: string, reload: () => Promise<void>): Promise<void> {
  if (!await confirmDialog(`Unsubscribe from “${label}”?`, 'The calendar disappears from every app; the feed itself is not touched.', 'Unsubscribe', true)) return;
  try {
    // Unsubscribing is deleting the collection: the owner may unbind it from the home (RFC 3744).
    await source.client.delete(s.href, null);
    const cal = state.calendars().find((c) => c.source === source && c.dav.href === s.href);
    if (cal) await state.cache.clear(cal.key);
    await state.discover(source);
  } catch (err) {
    await showError(err);
  }
  await reload();
}

async function setBirthdays(state: AppState, source: Source, box: HTMLInputElement): Promise<void> {
  try {
    await subscriptions.setBirthdays(box.checked);
    await state.discover(source);
  } catch (err) {
    box.checked = !box.checked;
    await showError(err);
  }
}
