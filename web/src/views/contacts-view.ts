import {
  applyContactForm,
  displayName,
  EMPTY_CONTACT_FORM,
  newContactCard,
  readContactForm,
  type ContactForm,
  type Typed,
} from '../../../src/formats/vcard/contact-form.js';
import { listGroups, memberUid, type ContactGroup } from '../../../src/formats/vcard/contact-groups.js';
import { parseVcard } from '../../../src/formats/vcard/parse.js';
import { rewriteVcard } from '../../../src/formats/vcard/rewrite.js';
import { writeVcard } from '../../../src/formats/vcard/write.js';
import { AppState, type Collection } from '../state.js';
import { SummaryStore } from '../sync/contact-summaries.js';
import { confirmDialog, promptDialog, showError, toast } from '../ui/dialog.js';
import { formatWith, t } from '../i18n/index.js';
import { clear, h } from '../ui/dom.js';
import { pendingMark } from '../ui/pending-mark.js';
import { editContactDialog, typeLabel } from './contact-editor.js';
import { createGroup, renameGroup, setMemberships } from './contact-group-writes.js';
import { ContactIndex, type ContactEntry } from './contact-index.js';
import { EmptyGroups } from './empty-groups.js';
import { installShortcuts } from './shortcuts.js';
import { VirtualList } from './virtual-list.js';
import './contacts.css';

const ROW_HEIGHT = 52;
const VCARD = 'text/vcard; charset=utf-8';
/** Building the index yields to the page this often (ms), so typing and scrolling stay smooth. */
const SLICE_MS = 12;

type Stored = { col: Collection; href: string; data: string; etag: string; pending: boolean };

/**
 * Address books: groups (CATEGORIES and group cards), a virtualised, searchable list of every
 * contact (summaries from the local cache, built once per ETag) and a detail pane.
 */
export class ContactsView {
  readonly el = h('div.contacts-view');
  private readonly search = h('input', {
    type: 'search',
    placeholder: t('contacts.searchPlaceholder'),
    'aria-label': t('contacts.search'),
    name: 'search',
  });
  private readonly bookSelect = h('select', { 'aria-label': t('common.addressBook'), name: 'book' });
  private readonly groupList = h('ul.group-list');
  private readonly status = h('p.list-status', { role: 'status' });
  private readonly detail = h('section.contact-detail', { 'aria-live': 'polite', 'aria-label': t('contacts.contact') });
  private readonly index = new ContactIndex();
  private readonly list: VirtualList<ContactEntry>;
  private selected: { key: string; href: string } | null = null;
  private group: string | null = null;
  /** CATEGORIES groups created here that no contact is in yet. */
  private readonly pendingGroups: EmptyGroups;
  private building: number | undefined;

  constructor(private readonly state: AppState) {
    this.pendingGroups = new EmptyGroups(state.user);
    this.list = new VirtualList<ContactEntry>({
      label: t('contacts.title'),
      rowHeight: ROW_HEIGHT,
      key: (e) => `${e.col.key}|${e.href}`,
      render: (e) =>
        h(
          'div.contact-row',
          { 'data-testid': 'contact' },
          h('span.avatar', { 'aria-hidden': 'true' }, initials(e.s.name)),
          h('span.who', {}, h('strong', {}, e.s.name), h('small', {}, e.s.line)),
          e.pending ? pendingMark() : null,
        ),
      onChoose: (e) => {
        this.selected = { key: e.col.key, href: e.href };
        this.renderDetail();
      },
      empty: () =>
        this.search.value.trim()
          ? t('contacts.noMatch')
          : this.index.building
            ? t('contacts.loading')
            : t('contacts.none'),
    });
    this.search.addEventListener('input', () => this.renderList());
    // The calendar's keys where they mean the same here: n for a new contact, / for this search; ? lists them.
    installShortcuts(
      [
        { keys: ['n'], label: t('contacts.new'), run: () => void this.edit(null) },
        { keys: ['/'], label: t('contacts.search'), run: () => this.search.focus() },
      ],
      () => this.el.isConnected,
    );
    this.bookSelect.addEventListener('change', () => {
      this.group = null;
      this.renderGroups();
      this.renderList();
    });
    this.el.append(
      h(
        'nav.contact-groups',
        { 'aria-label': t('contacts.groupsList') },
        h('h3', {}, t('common.groups')),
        this.groupList,
        h('button.link', { type: 'button', onclick: () => void this.newGroup() }, t('contacts.newGroupButton')),
      ),
      h(
        'div.contact-pane',
        {},
        h(
          'header.view-header',
          {},
          h('h2', {}, t('contacts.title')),
          h('button.primary', { type: 'button', onclick: () => void this.edit(null) }, t('contacts.newContactButton')),
        ),
        h('div.contact-filters', {}, this.search, this.bookSelect),
        this.status,
        this.list.el,
      ),
      this.detail,
    );
    // Summaries of an earlier visit first (IndexedDB), then whatever changed since.
    const ready = SummaryStore.open(state.user).then(async (store) => this.index.attach(store, await store.all()));
    void ready.then(() => {
      state.on((c) => {
        if (c.kind === 'collections' || (c.kind === 'objects' && c.collection.dav.kind === 'addressbook'))
          this.refresh();
      });
      this.refresh();
    });
  }

  /** Take in what changed: summarise new versions in slices, then show. */
  private refresh(): void {
    const v = this.bookSelect.value;
    clear(this.bookSelect);
    this.bookSelect.append(
      h('option', { value: '' }, t('contacts.allBooks')),
      ...this.state
        .addressBooks()
        .map((c) =>
          h('option', { value: c.key }, `${c.dav.displayName}${c.source.remote ? ` (${c.source.label})` : ''}`),
        ),
    );
    this.bookSelect.value = v;
    this.index.scan(this.state.addressBooks());
    let shown = performance.now();
    const step = (): void => {
      const done = this.index.work(SLICE_MS);
      this.building = done ? undefined : window.setTimeout(step, 0);
      // While a large book is summarised, show progress about once a second (each show sorts).
      if (done || performance.now() - shown > 1000) {
        this.show();
        shown = performance.now();
      }
    };
    if (this.building === undefined) {
      if (this.index.building) this.building = window.setTimeout(step, 0);
      else this.show();
    }
  }

  private show(): void {
    // How many cards the index holds (tests wait on it; the view may be off screen).
    document.body.dataset.contacts = this.index.building ? 'building' : String(this.index.size);
    this.renderGroups();
    this.renderList();
    this.renderDetail();
  }

  private bookKey(): string | null {
    return this.bookSelect.value || null;
  }

  private groups(): ContactGroup<ContactEntry>[] {
    const groups = listGroups(this.index.groupSources(this.bookKey()));
    for (const name of this.pendingGroups)
      if (!groups.some((g) => g.name === name)) groups.push({ name, members: new Set(), cards: [] });
    return groups.sort((a, b) => a.name.localeCompare(b.name));
  }

  private renderGroups(): void {
    const groups = this.groups();
    if (this.group !== null && !groups.some((g) => g.name === this.group)) this.group = null;
    const contacts = this.index
      .all()
      .filter((e) => e.s.groupStyle === null && (this.bookKey() === null || e.col.key === this.bookKey())).length;
    const item = (name: string | null, label: string, count: number, g?: ContactGroup<ContactEntry>): HTMLElement =>
      h(
        'li',
        {},
        h(
          'button.group',
          {
            type: 'button',
            'aria-pressed': String(this.group === name),
            'data-testid': 'group',
            onclick: () => {
              this.group = name;
              this.renderGroups();
              this.renderList();
            },
          },
          h('span.name', {}, label),
          h('span.count', {}, String(count)),
        ),
        g
          ? h(
              'button.icon.rename',
              {
                type: 'button',
                'aria-label': t('contacts.renameGroupNamed', { name: label }),
                title: t('common.rename'),
                onclick: () => void this.rename(g),
              },
              '✎',
            )
          : null,
      );
    clear(this.groupList);
    this.groupList.append(
      item(null, t('contacts.allContacts'), contacts),
      ...groups.map((g) => item(g.name, g.name, g.members.size, g)),
    );
  }

  /** The contacts the book and group choice leave (search aside). */
  private scope(): readonly ContactEntry[] {
    const book = this.bookKey();
    const g = this.group === null ? null : this.groups().find((x) => x.name === this.group);
    return this.index
      .all()
      .filter((e) => e.s.groupStyle === null && (book === null || e.col.key === book) && (!g || g.members.has(e.uid)));
  }

  private renderList(): void {
    const scopeKey = `${this.bookKey() ?? ''}\u0000${this.group ?? ''}`;
    const found = this.index.search(scopeKey, () => this.scope(), this.search.value);
    this.list.set(found, this.selected ? `${this.selected.key}|${this.selected.href}` : null);
    this.status.textContent = this.index.building
      ? t('contacts.loadingCount', { count: this.index.size })
      : t('contacts.count', { count: found.length });
  }

  private current(): Stored | null {
    if (!this.selected) return null;
    const col = this.state.collections.find((c) => c.key === this.selected!.key);
    const o = col?.objects.get(this.selected.href);
    return col && o ? { col, href: o.href, data: o.data, etag: o.etag, pending: o.pending === true } : null;
  }

  /** Group names of a contact: its CATEGORIES and the group cards that list it. */
  private groupsOf(col: Collection, uid: string, categories: readonly string[]): string[] {
    const carded = listGroups(this.index.groupSources(col.key))
      .filter((g) => g.cards.length > 0 && g.members.has(uid))
      .map((g) => g.name);
    return [...new Set([...categories, ...carded])];
  }

  private renderDetail(): void {
    clear(this.detail);
    const cur = this.current();
    if (!cur) {
      this.detail.append(h('p.empty', {}, t('contacts.select')));
      return;
    }
    let f: ContactForm;
    let uid: string;
    try {
      const card = parseVcard(cur.data);
      f = readContactForm(card);
      uid = memberUid(this.index.find(cur.col, cur.href)?.s.uid ?? '');
    } catch {
      this.detail.append(h('p.error', {}, t('contacts.unreadable')));
      return;
    }
    const groups = this.groupsOf(cur.col, uid, f.groups);
    const rows = (label: string, items: readonly Typed[], link?: string): HTMLElement | null =>
      items.length
        ? h(
            'div.detail-group',
            {},
            h('h4', {}, label),
            ...items.map((i) =>
              h(
                'div',
                {},
                h('span.type', {}, typeLabel(i.type)),
                ' ',
                link ? h('a', { href: `${link}${i.value}` }, i.value) : i.value,
              ),
            ),
          )
        : null;
    this.detail.append(
      h(
        'header.contact-head',
        {},
        f.photo.startsWith('data:image/')
          ? h('img.photo', { src: f.photo, alt: '' })
          : h('span.avatar.big', { 'aria-hidden': 'true' }, initials(displayName(f))),
        h(
          'div',
          {},
          h('h2', {}, displayName(f)),
          f.org || f.title ? h('p', {}, [f.title, f.org].filter(Boolean).join(', ')) : null,
          groups.length
            ? h('p.groups', { 'aria-label': t('common.groups') }, ...groups.map((g) => h('span.badge', {}, g)))
            : null,
        ),
      ),
      h(
        'div.row.actions',
        {},
        h('button.secondary', { type: 'button', onclick: () => void this.edit(cur) }, t('common.edit')),
        h(
          'button.danger',
          { type: 'button', onclick: () => void this.remove(cur, displayName(f)) },
          t('common.delete'),
        ),
      ),
      rows(t('common.phone'), f.phones, 'tel:') ?? '',
      rows(t('common.email'), f.emails, 'mailto:') ?? '',
      f.addresses.length
        ? h(
            'div.detail-group',
            {},
            h('h4', {}, t('common.address')),
            ...f.addresses.map((a) =>
              h(
                'div',
                {},
                h('span.type', {}, typeLabel(a.type)),
                ' ',
                [a.street, [a.code, a.city].filter(Boolean).join(' '), a.region, a.country].filter(Boolean).join(', '),
              ),
            ),
          )
        : '',
      f.birthday
        ? h('div.detail-group', {}, h('h4', {}, t('common.birthday')), h('div', {}, birthdayText(f.birthday)))
        : '',
      f.note
        ? h(
            'div.detail-group',
            {},
            h('h4', {}, t('common.note')),
            h('p.note', { 'data-testid': 'contact-note' }, f.note),
          )
        : '',
      h('p.hint', {}, t('contacts.inBook', { name: cur.col.dav.displayName })),
      cur.pending
        ? h('p.hint.pending-note', { 'data-testid': 'pending-note' }, pendingMark(), ' ', t('common.pending'))
        : '',
    );
  }

  private async remove(cur: Stored, name: string): Promise<void> {
    if (
      !(await confirmDialog(
        t('contacts.deleteTitle'),
        t('contacts.deleteQuestion', { name }),
        t('common.delete'),
        true,
      ))
    )
      return;
    try {
      const uid = memberUid(this.index.find(cur.col, cur.href)?.s.uid ?? '');
      await this.state.remove(cur.col, cur.href, cur.etag || null);
      // Its group cards no longer list it (RFC 6350 §6.6.5 MEMBER, Apple's X-ADDRESSBOOKSERVER-MEMBER).
      if (uid) await setMemberships(this.state, this.index, cur.col, uid, [], []);
      this.selected = null;
      this.renderDetail();
    } catch (err) {
      await showError(err, () => this.state.sync(cur.col));
    }
  }

  private writableBook(): Collection | undefined {
    const books = this.state.addressBooks().filter((c) => !c.dav.readOnly);
    return books.find((c) => c.key === this.bookKey()) ?? books[0];
  }

  private async newGroup(): Promise<void> {
    const col = this.writableBook();
    if (!col) return void showError(new Error(t('contacts.noBook')));
    const name = await promptDialog(t('contacts.newGroup'), t('contacts.groupName'));
    if (!name) return;
    try {
      const carded = await createGroup(this.state, this.index, col, name);
      if (!carded) {
        this.pendingGroups.add(name);
        toast(t('contacts.groupCreated', { name }));
      }
      this.group = name;
      this.refresh();
    } catch (err) {
      await showError(err, () => this.state.sync(col));
    }
  }

  private async rename(g: ContactGroup<ContactEntry>): Promise<void> {
    const name = await promptDialog(t('contacts.renameGroup'), t('contacts.groupName'), g.name);
    if (!name || name === g.name) return;
    try {
      await renameGroup(this.state, this.index, g, name);
      if (this.pendingGroups.delete(g.name)) this.pendingGroups.add(name);
      if (this.group === g.name) this.group = name;
      this.refresh();
    } catch (err) {
      await showError(err);
    }
  }

  private async edit(cur: Stored | null): Promise<void> {
    const books = cur ? [cur.col] : this.state.addressBooks().filter((c) => !c.dav.readOnly);
    let f: ContactForm;
    let uid = '';
    try {
      f = cur
        ? readContactForm(parseVcard(cur.data))
        : { ...EMPTY_CONTACT_FORM, phones: [{ type: 'cell', value: '' }], emails: [{ type: 'home', value: '' }] };
      if (cur) uid = memberUid(this.index.find(cur.col, cur.href)?.s.uid ?? '');
    } catch (err) {
      await showError(err);
      return;
    }
    const categories = f.groups;
    const shown = cur ? { ...f, groups: this.groupsOf(cur.col, uid, categories) } : f;
    const chosen = await editContactDialog(
      cur ? t('contacts.edit') : t('contacts.new'),
      shown,
      books,
      this.groups().map((g) => g.name),
      !!cur,
    );
    if (!chosen) return;
    const col = cur?.col ?? books.find((c) => c.key === chosen.bookKey) ?? books[0];
    try {
      if (!col) throw new Error(t('contacts.noBook'));
      if (!cur) uid = crypto.randomUUID();
      // Memberships by group card first; what is left is written as CATEGORIES on the card.
      const rest = await setMemberships(this.state, this.index, col, uid, chosen.form.groups, categories);
      const next = { ...chosen.form, groups: rest };
      if (cur) {
        // Minimal change: what the form did not change is written back as it came.
        const card = parseVcard(cur.data);
        const edited = applyContactForm(card, next);
        if (edited !== card)
          await this.state.save(cur.col, cur.href, rewriteVcard(cur.data, card, edited), cur.etag || null, VCARD);
      } else {
        const href = AppState.memberHref(col, uid, '.vcf');
        await this.state.save(col, href, writeVcard(newContactCard(next, uid)), null, VCARD);
        this.selected = { key: col.key, href };
      }
      for (const g of chosen.form.groups) this.pendingGroups.delete(g);
      this.refresh();
    } catch (err) {
      await showError(err, async () => {
        if (cur) await this.state.sync(cur.col);
      });
    }
  }
}

/** `YYYY-MM-DD` as a date, `--MM-DD` (no year, RFC 6350 §4.3.1) as day and month. */
function birthdayText(b: string): string {
  const m = /^(\d{4}|-)-(\d{2})-(\d{2})$/.exec(b);
  if (!m) return b;
  const d = new Date(Date.UTC(m[1] === '-' ? 2000 : Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return formatWith(
    d,
    m[1] === '-' ? { day: 'numeric', month: 'long', timeZone: 'UTC' } : { dateStyle: 'long', timeZone: 'UTC' },
  );
}

function initials(name: string): string {
  return (
    name
      .split(/\s+/)
      .filter(Boolean)
      .slice(0, 2)
      .map((w) => w[0]!.toUpperCase())
      .join('') || '?'
  );
}
