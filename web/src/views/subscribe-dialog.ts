import { subscriptions, type Subscription, type SubscriptionResult } from '../api.js';
import { formatDateTime } from '../i18n/dates.js';
import { t } from '../i18n/i18n.js';
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
export async function subscribeDialog(
  state: AppState,
  source: Source,
  prefill: { url?: string; name?: string } = {},
): Promise<void> {
  const url = h('input', {
    type: 'url',
    name: 'url',
    required: true,
    placeholder: t('subscriptions.addressPlaceholder'),
    value: prefill.url ?? '',
  });
  const name = h('input', {
    type: 'text',
    name: 'name',
    placeholder: t('subscriptions.namePlaceholder'),
    value: prefill.name ?? '',
  });
  const color = h('input', {
    type: 'color',
    name: 'color',
    value: PALETTE[(state.calendars().length + 3) % PALETTE.length]!,
    'aria-label': t('subscriptions.colour'),
  });
  const refresh = h(
    'select',
    { name: 'refresh', 'aria-label': t('subscriptions.refresh') },
    h('option', { value: 'PT15M' }, t('subscriptions.every15m')),
    h('option', { value: 'PT1H', selected: true }, t('subscriptions.every1h')),
    h('option', { value: 'PT6H' }, t('subscriptions.every6h')),
    h('option', { value: 'P1D' }, t('subscriptions.every1d')),
  );
  const list = h('ul.subscriptions', { 'aria-label': t('subscriptions.subscribed') });
  const birthdays = h('input', { type: 'checkbox', name: 'birthdays' });
  const body = h(
    'div.subscribe-dialog',
    {},
    h('h3', {}, t('subscriptions.subscribed')),
    list,
    h('h3', {}, t('subscriptions.new')),
    h('p.hint', {}, t('subscriptions.hint')),
    field(t('subscriptions.address'), url),
    field(t('subscriptions.name'), name),
    field(t('subscriptions.colour'), color),
    field(t('subscriptions.refresh'), refresh),
    h('label.field.checkbox', {}, birthdays, h('span', {}, t('subscriptions.birthdays'))),
  );
  const reload = async (): Promise<void> => fillList(state, source, list, reload);
  void reload();
  void subscriptions
    .birthdays()
    .then((b) => {
      birthdays.checked = b.enabled;
    })
    .catch(() => undefined);
  birthdays.addEventListener('change', () => void setBirthdays(state, source, birthdays));
  const { result } = modal(
    t('subscriptions.title'),
    body,
    [
      { label: t('subscriptions.close'), value: 'cancel' },
      { label: t('subscriptions.subscribe'), value: 'ok', kind: 'primary' },
    ],
    { wide: true },
  );
  if ((await result) !== 'ok' || !url.value.trim()) return;
  try {
    const r = await subscriptions.add({
      url: url.value.trim(),
      name: name.value.trim() || undefined,
      color: color.value,
      refresh: refresh.value,
    });
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
    const error = r.lastError ?? t('subscriptions.unknownError');
    toast(t(first ? 'subscriptions.firstFailed' : 'subscriptions.failed', { name: label, error }), 'error');
  } else toast(r.lastError ? `${label}: ${r.lastError}` : t('subscriptions.upToDate', { name: label }));
}

function lastSuccess(s: Subscription): string {
  return s.lastSuccessAt !== null
    ? t('subscriptions.updated', { when: formatDateTime(new Date(s.lastSuccessAt), 'short') })
    : t('subscriptions.notFetched');
}

async function fillList(
  state: AppState,
  source: Source,
  list: HTMLElement,
  reload: () => Promise<void>,
): Promise<void> {
  let subs: Subscription[];
  try {
    subs = await subscriptions.list();
  } catch (err) {
    await showError(err);
    return;
  }
  clear(list);
  if (subs.length === 0) list.append(h('li.empty', {}, t('subscriptions.none')));
  for (const s of subs) {
    const cal = state.calendars().find((c) => c.source === source && c.dav.href === s.href);
    const label = cal?.dav.displayName ?? s.url;
    list.append(
      h(
        'li.subscription',
        { 'data-href': s.href },
        h(
          'div',
          {},
          h('strong', {}, label),
          h('div.hint', {}, s.url),
          h('div.hint', {}, lastSuccess(s)),
          s.lastError ? h('div.error', { role: 'alert' }, t('subscriptions.lastError', { error: s.lastError })) : null,
        ),
        h(
          'span.actions',
          {},
          h(
            'button.secondary',
            {
              type: 'button',
              'aria-label': t('subscriptions.refreshOne', { name: label }),
              onclick: () => void refreshOne(state, source, s, label, reload),
            },
            t('subscriptions.refresh'),
          ),
          h(
            'button.danger',
            {
              type: 'button',
              'aria-label': t('subscriptions.unsubscribeOne', { name: label }),
              onclick: () => void unsubscribe(state, source, s, label, reload),
            },
            t('subscriptions.unsubscribe'),
          ),
        ),
      ),
    );
  }
}

async function refreshOne(
  state: AppState,
  source: Source,
  s: Subscription,
  label: string,
  reload: () => Promise<void>,
): Promise<void> {
  try {
    report(await subscriptions.refresh(s.href), label);
    await state.discover(source);
  } catch (err) {
    await showError(err);
  }
  await reload();
}

async function unsubscribe(
  state: AppState,
  source: Source,
  s: Subscription,
  label: string,
  reload: () => Promise<void>,
): Promise<void> {
  if (
    !(await confirmDialog(
      t('subscriptions.unsubscribeTitle', { name: label }),
      t('subscriptions.unsubscribeText'),
      t('subscriptions.unsubscribe'),
      true,
    ))
  )
    return;
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
