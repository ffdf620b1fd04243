import {
  readSharees,
  searchPrincipals,
  share,
  type FoundPrincipal,
  type Sharee,
  type ShareAccess,
} from '../dav/sharing.js';
import { sameHref } from '../dav/client.js';
import { t } from '../i18n/i18n.js';
import type { AppState, Collection } from '../state.js';
import { modal, showError, toast } from '../ui/dialog.js';
import { clear, field, h } from '../ui/dom.js';
import { publicLinkSection } from './public-link.js';
import './share-dialog.css';

/** Fewer letters than this find too many people to be useful. */
const MIN_QUERY = 2;
const SEARCH_DELAY_MS = 250;

/** One sharee with their answer, their access (changeable) and Remove. */
function shareeItem(
  s: Sharee,
  act: { access: (s: Sharee, a: ShareAccess) => Promise<void>; remove: (s: Sharee) => Promise<void> },
): HTMLElement {
  const access = h(
    'select',
    { name: 'access', 'aria-label': t('share.accessOf', { name: s.name }) },
    h('option', { value: 'read', selected: s.access === 'read' }, t('share.read')),
    h('option', { value: 'read-write', selected: s.access === 'read-write' }, t('share.readWrite')),
  );
  access.value = s.access;
  access.addEventListener('change', () => void act.access(s, access.value as ShareAccess));
  return h(
    'li.sharee',
    { 'data-href': s.href },
    h('span.name', {}, s.name),
    h('span', { class: `badge status-${s.status}` }, t(`share.status.${s.status}`)),
    access,
    h(
      'button.icon',
      {
        type: 'button',
        title: t('share.remove'),
        'aria-label': t('share.removeNamed', { name: s.name }),
        onclick: () => void act.remove(s),
      },
      '✕',
    ),
  );
}

/** One search result: a button that adds them. */
function candidate(p: FoundPrincipal, add: (p: FoundPrincipal) => Promise<void>): HTMLElement {
  return h(
    'li',
    {},
    h(
      'button.link.share-candidate',
      { type: 'button', 'data-href': p.href, onclick: () => void add(p) },
      `${p.group ? `${t('share.group')}: ` : ''}${p.name}`,
      h('span.address', {}, p.address.replace(/^mailto:/i, '')),
    ),
  );
}

/** Run `search` a moment after the typing stops, from MIN_QUERY letters on; `reset` below that. Enter never submits. */
function searchAsYouType(input: HTMLInputElement, search: (q: string) => Promise<void>, reset: () => void): void {
  let timer: number | undefined;
  input.addEventListener('input', () => {
    clearTimeout(timer);
    const q = input.value.trim();
    if (q.length < MIN_QUERY) return reset();
    timer = window.setTimeout(() => void search(q).catch((err: unknown) => void showError(err)), SEARCH_DELAY_MS);
  });
  // The dialog's form is method=dialog: Enter in the field must not close it.
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') e.preventDefault();
  });
}

/**
 * The share dialog of a calendar or address book, as Nextcloud's sidebar has it: find a user or
 * group by name or address (RFC 3744 §9.4 principal-property-search), add them with read access,
 * see each sharee's answer (pending / accepted / declined), change their access or remove them —
 * all by CalendarServer sharing (caldav-sharing §5.2.2 CS:invite, §5.3.2 CS:share), so it works
 * with any server that has it. For the user's own calendars on Almanac, also the public link.
 */
export async function shareDialog(state: AppState, c: Collection): Promise<void> {
  const client = c.source.client;
  let sharees: Sharee[] = [];
  const list = h('ul.sharees', { 'aria-label': t('share.current') });
  const results = h('ul.share-results', { 'aria-label': t('share.results') });
  const query = h('input', { type: 'search', name: 'share-search', autocomplete: 'off' });

  const renderSharees = (): void => {
    clear(list);
    const shown = sharees.filter((s) => s.status !== 'deleted');
    if (shown.length === 0) list.append(h('li.empty', {}, t('share.none')));
    for (const s of shown) list.append(shareeItem(s, { access: setAccess, remove }));
  };
  const reload = async (): Promise<void> => {
    sharees = await readSharees(client, c.dav.href);
    renderSharees();
  };
  const apply = async (change: Parameters<typeof share>[2]): Promise<void> => {
    try {
      await share(client, c.dav.href, { ...change, summary: c.dav.displayName });
      await reload();
    } catch (err) {
      await showError(err);
    }
  };
  const setAccess = (s: Sharee, access: ShareAccess): Promise<void> =>
    apply({ set: [{ href: s.href, name: s.name, access }] });
  const remove = (s: Sharee): Promise<void> => apply({ remove: [s.href] });
  const add = async (p: FoundPrincipal): Promise<void> => {
    query.value = '';
    clear(results);
    await apply({ set: [{ href: p.address, name: p.name, access: 'read' }] });
    // A server shares only with whom it can (Almanac: users, not groups): say when it did not.
    const added = sharees.some((s) => sameHref(s.href, p.address) || sameHref(s.href, p.href) || s.name === p.name);
    if (!added) toast(t('share.notAccepted', { name: p.name }), 'error');
  };

  searchAsYouType(
    query,
    async (q) => {
      const found = c.source.principal ? await searchPrincipals(client, c.source.principal, q) : [];
      if (query.value.trim() !== q) return; // a later keystroke asks again
      clear(results);
      const me = c.source.principal;
      for (const p of found.filter((f) => !me || !sameHref(f.href, me)).slice(0, 20)) results.append(candidate(p, add));
      if (found.length === 0) results.append(h('li.empty', {}, t('share.nobodyFound')));
    },
    () => clear(results),
  );

  const body = h(
    'div.share-dialog',
    {},
    field(t('share.search'), query),
    results,
    h('h3', {}, t('share.current')),
    list,
    c.dav.kind === 'calendar' && !c.source.remote ? publicLinkSection(c) : null,
  );
  const { result } = modal(t('share.title', { name: c.dav.displayName }), body, [
    { label: t('dialog.close'), value: 'cancel', kind: 'primary' },
  ]);
  await reload().catch((err: unknown) => void showError(err));
  await result;
  await state.discover(c.source); // the sidebar shows how many it is shared with
}
