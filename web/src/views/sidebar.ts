import { accounts, type Account } from '../api.js';
import { AppState, PALETTE, type Collection, type Source } from '../state.js';
import { confirmDialog, errorText, modal, promptDialog, showError, toast } from '../ui/dialog.js';
import { clear, field, h } from '../ui/dom.js';
import { invitationsPanel } from './invitations.js';
import { shareInvitationsPanel } from './share-invitations.js';
import { isSharedIn, leaveButton, ownerNote, shareButton } from './shared-items.js';
import { subscribeDialog } from './subscribe-dialog.js';
import { t } from '../i18n/i18n.js';

/** The side panel: calendars (shown/hidden, colour), address books, and other accounts. */
export function sidebar(state: AppState): HTMLElement {
  const el = h('nav.sidebar', { 'aria-label': t('sidebar.label') });
  // Made once per account: each keeps its inbox (or sharing invitations) and listens for changes itself.
  const panels = new Map<string, HTMLElement>();
  const panel = (kind: string, source: Source, make: (state: AppState, source: Source) => HTMLElement): HTMLElement => {
    const p = panels.get(`${kind}:${source.id}`) ?? make(state, source);
    panels.set(`${kind}:${source.id}`, p);
    return p;
  };
  const render = (): void => {
    clear(el);
    for (const source of state.sources) {
      const cals = state.calendars().filter((c) => c.source === source);
      const books = state.addressBooks().filter((c) => c.source === source);
      const section = h(
        'section.source',
        { 'data-source': source.id },
        h(
          'h3',
          {},
          source.label,
          source.remote
            ? h(
                'button.link.small',
                {
                  type: 'button',
                  title: t('sidebar.removeAccount', { name: source.label }),
                  onclick: () => void removeAccount(state, source),
                },
                t('common.remove'),
              )
            : null,
        ),
        source.error ? h('p.error', { role: 'alert' }, errorText(source.error)) : null,
        source.inbox ? panel('inbox', source, invitationsPanel) : null,
        panel('shares', source, shareInvitationsPanel),
        h('h4', {}, t('sidebar.calendars')),
        h('ul.collections', {}, ...cals.map((c) => calendarItem(state, c))),
        source.calendarHome
          ? h(
              'button.link',
              { type: 'button', onclick: () => void newCalendar(state, source) },
              t('sidebar.newCalendarButton'),
            )
          : null,
        source.calendarHome && !source.remote
          ? h(
              'button.link',
              { type: 'button', onclick: () => void subscribeDialog(state, source) },
              t('subscriptions.button'),
            )
          : null,
        h('h4', {}, t('sidebar.addressBooks')),
        h('ul.collections', {}, ...books.map((c) => bookItem(state, c))),
        source.addressbookHome
          ? h(
              'button.link',
              { type: 'button', onclick: () => void newAddressBook(state, source) },
              t('sidebar.newAddressBookButton'),
            )
          : null,
      );
      el.append(section);
    }
    el.append(
      h(
        'button.secondary.add-account',
        { type: 'button', onclick: () => void addAccount(state) },
        t('sidebar.addServerButton'),
      ),
    );
  };
  state.on((c) => {
    if (c.kind === 'collections' || (c.kind === 'objects' && c.collection.dav.kind === 'addressbook')) render();
  });
  render();
  return el;
}

/**
 * A collection's read-only badge and buttons: Share where the server allows it, Edit (also on a
 * collection shared with the user, read-only or not: their name and colour for it are their own,
 * caldav-sharing §5.5.3), and Delete — or, for one shared with the user, Remove from my list.
 */
function itemActions(
  state: AppState,
  c: Collection,
  o: { editTitle: string; editLabel: string; edit: () => void; deleteTitle: string },
): (HTMLElement | null)[] {
  const shared = isSharedIn(c);
  const icon = (title: string, label: string, onclick: () => void, glyph: string): HTMLElement =>
    h('button.icon', { type: 'button', title, 'aria-label': label, onclick }, glyph);
  return [
    c.dav.readOnly ? h('span.badge', {}, t('common.readOnly')) : null,
    h(
      'span.actions',
      {},
      shareButton(state, c),
      !c.dav.readOnly || shared ? icon(o.editTitle, o.editLabel, o.edit, '✎') : null,
      shared
        ? leaveButton(state, c)
        : c.dav.readOnly
          ? null
          : icon(
              o.deleteTitle,
              t('sidebar.deleteNamed', { name: c.dav.displayName }),
              () => void deleteCollection(state, c),
              '🗑',
            ),
    ),
  ];
}

function calendarItem(state: AppState, c: Collection): HTMLElement {
  const box = h('input', {
    type: 'checkbox',
    checked: c.visible,
    'aria-label': t('sidebar.show', { name: c.dav.displayName }),
    style: `accent-color:${c.color}`,
  });
  box.addEventListener('change', () => state.setVisible(c, box.checked));
  const kinds = c.dav.components.length && !c.dav.components.includes('VEVENT') ? ` ${t('sidebar.tasksOnly')}` : '';
  return h(
    'li.collection',
    { 'data-href': c.dav.href },
    h(
      'label',
      {},
      box,
      h('span.swatch', { style: `background:${c.color}` }),
      h('span.name', {}, c.dav.displayName + kinds, ownerNote(c)),
    ),
    ...itemActions(state, c, {
      editTitle: t('sidebar.renameRecolour'),
      editLabel: t('sidebar.editNamed', { name: c.dav.displayName }),
      edit: () => void editCalendar(state, c),
      deleteTitle: t('sidebar.deleteCalendar'),
    }),
  );
}

function bookItem(state: AppState, c: Collection): HTMLElement {
  return h(
    'li.collection',
    { 'data-href': c.dav.href },
    h('span.name', {}, `${c.dav.displayName} `, h('span.count', {}, `(${c.objects.size})`), ownerNote(c)),
    ...itemActions(state, c, {
      editTitle: t('common.rename'),
      editLabel: t('sidebar.renameNamed', { name: c.dav.displayName }),
      edit: () => void renameBook(state, c),
      deleteTitle: t('sidebar.deleteAddressBook'),
    }),
  );
}

function colorPicker(value: string): { el: HTMLElement; read: () => string } {
  const input = h('input', { type: 'color', value, name: 'color', 'aria-label': t('common.colour') });
  const swatches = h(
    'div.swatches',
    {},
    ...PALETTE.map((p) =>
      h('button.swatch-btn', {
        type: 'button',
        style: `background:${p}`,
        'aria-label': t('sidebar.colourNamed', { colour: p }),
        onclick: () => {
          input.value = p;
        },
      }),
    ),
  );
  return { el: h('div', {}, swatches, input), read: () => input.value };
}

async function newCalendar(state: AppState, source: Source): Promise<void> {
  const name = h('input', { type: 'text', name: 'name', required: true, placeholder: t('sidebar.namePlaceholder') });
  const color = colorPicker(PALETTE[state.calendars().length % PALETTE.length]!);
  const kind = h(
    'select',
    { name: 'kind' },
    h('option', { value: 'VEVENT,VTODO' }, t('sidebar.holdsBoth')),
    h('option', { value: 'VEVENT' }, t('sidebar.holdsEvents')),
    h('option', { value: 'VTODO' }, t('sidebar.holdsTasks')),
  );
  const { result } = modal(
    t('sidebar.newCalendar'),
    h('div', {}, field(t('common.name'), name), field(t('common.colour'), color.el), field(t('sidebar.holds'), kind)),
    [
      { label: t('dialog.cancel'), value: 'cancel' },
      { label: t('common.create'), value: 'ok', kind: 'primary' },
    ],
  );
  if ((await result) !== 'ok' || !name.value.trim()) return;
  try {
    await source.client.makeCalendar(
      AppState.childHref(source.calendarHome!, name.value),
      name.value.trim(),
      color.read(),
      kind.value.split(','),
    );
    await state.discover(source);
  } catch (err) {
    await showError(err);
  }
}

async function editCalendar(state: AppState, c: Collection): Promise<void> {
  const name = h('input', { type: 'text', name: 'name', value: c.dav.displayName, required: true });
  const color = colorPicker(c.color);
  const { result } = modal(
    t('common.calendar'),
    h('div', {}, field(t('common.name'), name), field(t('common.colour'), color.el)),
    [
      { label: t('dialog.cancel'), value: 'cancel' },
      { label: t('common.save'), value: 'ok', kind: 'primary' },
    ],
  );
  if ((await result) !== 'ok') return;
  try {
    await c.source.client.setCollectionProps(c.dav.href, name.value.trim(), color.read());
    c.dav.displayName = name.value.trim();
    c.color = color.read();
    await state.discover(c.source);
  } catch (err) {
    await showError(err);
  }
}

async function renameBook(state: AppState, c: Collection): Promise<void> {
  const name = await promptDialog(t('sidebar.renameAddressBook'), t('common.name'), c.dav.displayName);
  if (!name) return;
  try {
    await c.source.client.setCollectionProps(c.dav.href, name);
    await state.discover(c.source);
  } catch (err) {
    await showError(err);
  }
}

async function newAddressBook(state: AppState, source: Source): Promise<void> {
  const name = await promptDialog(t('sidebar.newAddressBook'), t('common.name'));
  if (!name) return;
  try {
    await source.client.makeAddressBook(AppState.childHref(source.addressbookHome!, name), name);
    await state.discover(source);
  } catch (err) {
    await showError(err);
  }
}

async function deleteCollection(state: AppState, c: Collection): Promise<void> {
  if (
    !(await confirmDialog(
      t('sidebar.deleteQuestion', { name: c.dav.displayName }),
      t('sidebar.deleteExplain', { count: c.objects.size }),
      t('common.delete'),
      true,
    ))
  )
    return;
  try {
    await c.source.client.delete(c.dav.href, null);
    await state.cache.clear(c.key);
    await state.discover(c.source);
  } catch (err) {
    await showError(err);
  }
}

export async function addAccount(state: AppState): Promise<void> {
  const label = h('input', { type: 'text', name: 'label', placeholder: t('sidebar.serverNamePlaceholder') });
  const url = h('input', { type: 'url', name: 'url', required: true, placeholder: 'https://dav.example.com/' });
  const username = h('input', { type: 'text', name: 'username', required: true, autocomplete: 'off' });
  const password = h('input', { type: 'password', name: 'password', required: true, autocomplete: 'new-password' });
  const body = h(
    'div',
    {},
    h('p.hint', {}, t('sidebar.addServerHint')),
    field(t('common.name'), label),
    field(t('sidebar.serverAddress'), url),
    field(t('login.user'), username),
    field(t('login.password'), password),
  );
  const error = h('p.error', { role: 'alert' });
  body.append(error);
  const { el, result } = modal(t('sidebar.addServer'), body, [
    { label: t('dialog.cancel'), value: 'cancel' },
    { label: t('common.add'), value: 'ok', kind: 'primary' },
  ]);
  // The dialog stays open until the server has said yes: a refusal (a LAN address the operator
  // has not allowed, a wrong password…) is shown in the form, and what was typed is kept.
  let added: Account | undefined;
  const add = el.querySelector<HTMLButtonElement>('button[value=ok]')!;
  add.addEventListener('click', (e) => {
    e.preventDefault();
    if (![url, username, password].every((i) => i.reportValidity())) return;
    add.disabled = true;
    error.textContent = '';
    accounts
      .add({ label: label.value.trim(), url: url.value.trim(), username: username.value, password: password.value })
      .then((a) => {
        added = a;
        el.close('ok');
      })
      .catch((err: unknown) => {
        error.textContent = t('sidebar.notAdded', { error: err instanceof Error ? err.message : String(err) });
      })
      .finally(() => {
        add.disabled = false;
      });
  });
  if ((await result) !== 'ok' || !added) return;
  try {
    const s = await state.addSource(added);
    if (s.error) toast(t('sidebar.addedBut', { name: added.label, error: errorText(s.error) }), 'error');
    else toast(t('sidebar.added', { name: added.label }));
  } catch (err) {
    await showError(err);
  }
}

async function removeAccount(state: AppState, s: Source): Promise<void> {
  if (
    !(await confirmDialog(
      t('sidebar.removeQuestion', { name: s.label }),
      t('sidebar.removeExplain'),
      t('common.remove'),
      true,
    ))
  )
    return;
  try {
    await accounts.remove(s.id);
    state.removeSource(s.id);
  } catch (err) {
    await showError(err);
  }
}
