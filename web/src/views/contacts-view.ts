import { applyContactForm, displayName, EMPTY_CONTACT_FORM, newContactCard, readContactForm, type Address, type ContactForm, type Typed } from '../../../src/formats/vcard/contact-form.js';
import { summariseText, type ContactSummary } from '../../../src/formats/vcard/contact-summary.js';
import { parseVcard } from '../../../src/formats/vcard/parse.js';
import { rewriteVcard } from '../../../src/formats/vcard/rewrite.js';
import { unicodeFold } from '../../../src/formats/vcard/text.js';
import { writeVcard } from '../../../src/formats/vcard/write.js';
import { AppState, type Collection } from '../state.js';
import { confirmDialog, modal, showError } from '../ui/dialog.js';
import { clear, field, h } from '../ui/dom.js';
import './contacts.css';

const SHOWN = 300;
const summaries = new Map<string, { etag: string; s: ContactSummary }>();

interface Entry { col: Collection; href: string; s: ContactSummary }

/** Address books: a searchable list (from the local cache, so 10,000 cards need no download per visit) and a detail pane. */
export class ContactsView {
  readonly el = h('div.contacts-view');
  private readonly search = h('input', { type: 'search', placeholder: 'Search name, email, phone, group', 'aria-label': 'Search contacts', name: 'search' });
  private readonly bookSelect = h('select', { 'aria-label': 'Address book', name: 'book' });
  private readonly list = h('ul.contact-list', { 'aria-label': 'Contacts' });
  private readonly detail = h('section.contact-detail', { 'aria-live': 'polite' });
  private selected: { key: string; href: string } | null = null;
  private timer: number | undefined;

  constructor(private readonly state: AppState) {
    this.search.addEventListener('input', () => {
      clearTimeout(this.timer);
      this.timer = window.setTimeout(() => this.renderList(), 80);
    });
    this.bookSelect.addEventListener('change', () => this.renderList());
    this.el.append(
      h('div.contact-pane', {},
        h('header.view-header', {}, h('h2', {}, 'Contacts'), h('button.primary', { type: 'button', onclick: () => void this.edit(null) }, '+ New contact')),
        h('div.row', {}, this.search, this.bookSelect),
        this.list),
      this.detail);
    state.on((c) => {
      if (c.kind === 'collections' || c.collection.dav.kind === 'addressbook') this.render();
    });
    this.render();
  }

  private entries(): Entry[] {
    const out: Entry[] = [];
    for (const col of this.state.addressBooks()) {
      if (this.bookSelect.value && this.bookSelect.value !== col.key) continue;
      for (const o of col.objects.values()) {
        const k = `${col.key}|${o.href}`;
        let hit = summaries.get(k);
        if (!hit || hit.etag !== o.etag) {
          hit = { etag: o.etag, s: summariseText(o.data) };
          summaries.set(k, hit);
        }
        out.push({ col, href: o.href, s: hit.s });
      }
    }
    return out;
  }

  render(): void {
    const v = this.bookSelect.value;
    clear(this.bookSelect);
    this.bookSelect.append(h('option', { value: '' }, 'All address books'), ...this.state.addressBooks().map((c) => h('option', { value: c.key }, `${c.dav.displayName}${c.source.remote ? ` (${c.source.label})` : ''}`)));
    this.bookSelect.value = v;
    this.renderList();
    this.renderDetail();
  }

  private renderList(): void {
    const q = unicodeFold(this.search.value.trim());
    const words = q.split(/\s+/).filter(Boolean);
    const all = this.entries().filter((e) => words.every((w) => e.s.haystack.includes(w))).sort((a, b) => a.s.name.localeCompare(b.s.name));
    clear(this.list);
    for (const e of all.slice(0, SHOWN)) {
      const selected = this.selected?.key === e.col.key && this.selected.href === e.href;
      this.list.append(h('li', {},
        h('button', { type: 'button', class: `contact-row${selected ? ' selected' : ''}`, 'aria-current': selected ? 'true' : undefined, 'data-testid': 'contact', onclick: () => { this.selected = { key: e.col.key, href: e.href }; this.renderList(); this.renderDetail(); } },
          h('span.avatar', { 'aria-hidden': 'true' }, initials(e.s.name)),
          h('span.who', {}, h('strong', {}, e.s.name), h('small', {}, e.s.line)))));
    }
    if (all.length > SHOWN) this.list.append(h('li.more', {}, `${all.length - SHOWN} more — type to narrow the list`));
    if (all.length === 0) this.list.append(h('li.empty', {}, q ? 'No contact matches.' : 'No contacts yet.'));
  }

  private current(): { col: Collection; href: string; data: string; etag: string } | null {
    if (!this.selected) return null;
    const col = this.state.collections.find((c) => c.key === this.selected!.key);
    const o = col?.objects.get(this.selected.href);
    return col && o ? { col, href: o.href, data: o.data, etag: o.etag } : null;
  }

  private renderDetail(): void {
    clear(this.detail);
    const cur = this.current();
    if (!cur) {
      this.detail.append(h('p.empty', {}, 'Select a contact.'));
      return;
    }
    let f: ContactForm;
    try {
      f = readContactForm(parseVcard(cur.data));
    } catch {
      this.detail.append(h('p.error', {}, 'This card cannot be read.'));
      return;
    }
    const rows = (label: string, items: readonly Typed[], link?: string): HTMLElement | null => items.length
      ? h('div.detail-group', {}, h('h4', {}, label), ...items.map((i) => h('div', {}, h('span.type', {}, i.type), ' ', link ? h('a', { href: `${link}${i.value}` }, i.value) : i.value)))
      : null;
    this.detail.append(
      h('header.contact-head', {},
        f.photo ? h('img.photo', { src: f.photo, alt: '' }) : h('span.avatar.big', { 'aria-hidden': 'true' }, initials(displayName(f))),
        h('div', {}, h('h2', {}, displayName(f)), f.org || f.title ? h('p', {}, [f.title, f.org].filter(Boolean).join(', ')) : null,
          f.groups.length ? h('p.groups', {}, ...f.groups.map((g) => h('span.badge', {}, g))) : null)),
      h('div.row.actions', {},
        h('button.secondary', { type: 'button', onclick: () => void this.edit(cur) }, 'Edit'),
        h('button.danger', { type: 'button', onclick: () => void this.remove(cur) }, 'Delete')),
      rows('Phone', f.phones, 'tel:') ?? '',
      rows('Email', f.emails, 'mailto:') ?? '',
      f.addresses.length ? h('div.detail-group', {}, h('h4', {}, 'Address'), ...f.addresses.map((a) => h('div', {}, h('span.type', {}, a.type), ' ', [a.street, [a.code, a.city].filter(Boolean).join(' '), a.region, a.country].filter(Boolean).join(', ')))) : '',
      f.birthday ? h('div.detail-group', {}, h('h4', {}, 'Birthday'), h('div', {}, birthdayText(f.birthday))) : '',
      f.note ? h('div.detail-group', {}, h('h4', {}, 'Note'), h('p.note', { 'data-testid': 'contact-note' }, f.note)) : '',
      h('p.hint', {}, `In ${cur.col.dav.displayName}`));
  }

  private async remove(cur: { col: Collection; href: string; etag: string; data: string }): Promise<void> {
    if (!await confirmDialog('Delete contact?', `Delete ${summariseText(cur.data).name} everywhere?`, 'Delete', true)) return;
    try {
      await this.state.remove(cur.col, cur.href, cur.etag || null);
      this.selected = null;
      this.render();
    } catch (err) {
      await showError(err, () => this.state.sync(cur.col));
    }
  }

  private async edit(cur: { col: Collection; href: string; etag: string; data: string } | null): Promise<void> {
    const books = this.state.addressBooks().filter((c) => !c.dav.readOnly);
    let f: ContactForm;
    try {
      f = cur ? readContactForm(parseVcard(cur.data)) : { ...EMPTY_CONTACT_FORM, phones: [{ type: 'cell', value: '' }], emails: [{ type: 'home', value: '' }] };
    } catch (err) {
      await showError(err);
      return;
    }
    const given = h('input', { type: 'text', name: 'given', value: f.given, autocomplete: 'off' });
    const family = h('input', { type: 'text', name: 'family', value: f.family, autocomplete: 'off' });
    const org = h('input', { type: 'text', name: 'org', value: f.org });
    const title = h('input', { type: 'text', name: 'jobtitle', value: f.title });
    const phones = typedRows('Phone', 'tel', f.phones, ['cell', 'home', 'work', 'fax']);
    const emails = typedRows('Email', 'email', f.emails, ['home', 'work', 'other']);
    const addresses = addressRows(f.addresses);
    const birthday = birthdayInput(f.birthday);
    const groups = h('input', { type: 'text', name: 'groups', value: f.groups.join(', '), placeholder: 'Family, Friends' });
    const note = h('textarea', { name: 'note', rows: 2 }, f.note);
    let photo = f.photo;
    const preview = h('img.photo', { src: photo || undefined, alt: '', hidden: !photo });
    const file = h('input', { type: 'file', accept: 'image/*', 'aria-label': 'Photo' });
    file.addEventListener('change', () => {
      const chosen = file.files?.[0];
      if (chosen) void shrinkPhoto(chosen).then((url) => { photo = url; preview.src = url; preview.hidden = false; });
    });
    const book = h('select', { name: 'book', disabled: !!cur }, ...(cur ? [cur.col] : books).map((c) => h('option', { value: c.key }, c.dav.displayName)));
    const body = h('div.editor', {},
      h('div.grid2', {}, field('First name', given), field('Last name', family)),
      h('div.grid2', {}, field('Organisation', org), field('Job title', title)),
      phones.el, emails.el, addresses.el,
      h('div.grid2', {}, birthday.el, field('Groups', groups)),
      field('Photo', h('div.row', {}, preview, file, h('button.link', { type: 'button', onclick: () => { photo = ''; preview.hidden = true; } }, 'Remove'))),
      field('Note', note),
      field('Address book', book));
    const { result } = modal(cur ? 'Edit contact' : 'New contact', body, [{ label: 'Cancel', value: 'cancel' }, { label: 'Save', value: 'save', kind: 'primary' }], { wide: true });
    if ((await result) !== 'save') return;
    const next: ContactForm = {
      ...f, given: given.value, family: family.value, org: org.value, title: title.value,
      phones: phones.read(), emails: emails.read(), addresses: addresses.read(), birthday: birthday.read(),
      groups: groups.value.split(',').map((g) => g.trim()).filter(Boolean), note: note.value, photo,
    };
    try {
      if (cur) {
        // Minimal change: what the form did not change is written back as it came.
        const card = parseVcard(cur.data);
        const edited = applyContactForm(card, next);
        if (edited !== card) await this.state.save(cur.col, cur.href, rewriteVcard(cur.data, card, edited), cur.etag || null, 'text/vcard; charset=utf-8');
      } else {
        const col = books.find((c) => c.key === book.value) ?? books[0];
        if (!col) throw new Error('There is no address book. Create one first.');
        const uid = crypto.randomUUID();
        const data = writeVcard(newContactCard(next, uid));
        const href = AppState.memberHref(col, uid, '.vcf');
        await this.state.save(col, href, data, null, 'text/vcard; charset=utf-8');
        this.selected = { key: col.key, href };
        this.render();
      }
    } catch (err) {
      await showError(err, async () => { if (cur) await this.state.sync(cur.col); });
    }
  }
}

const MONTHS = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'long', timeZone: 'UTC' });
const DATES = new Intl.DateTimeFormat(undefined, { dateStyle: 'long', timeZone: 'UTC' });

/** `YYYY-MM-DD` as a date, `--MM-DD` (no year, RFC 6350 §4.3.1) as day and month. */
function birthdayText(b: string): string {
  const m = /^(\d{4}|-)-(\d{2})-(\d{2})$/.exec(b);
  if (!m) return b;
  const d = new Date(Date.UTC(m[1] === '-' ? 2000 : Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return m[1] === '-' ? MONTHS.format(d) : DATES.format(d);
}

/** A date input and "Year unknown": a birthday without a year is kept as `--MM-DD`. */
function birthdayInput(value: string): { el: HTMLElement; read: () => string } {
  const noYear = value.startsWith('--');
  const date = h('input', { type: 'date', name: 'birthday', 'aria-label': 'Birthday', value: noYear ? `2000${value.slice(1)}` : value });
  const unknown = h('input', { type: 'checkbox', name: 'birthday-no-year', checked: noYear });
  return {
    el: h('div.field', {}, field('Birthday', date), h('label.check', {}, unknown, ' Year unknown')),
    read: () => (date.value && unknown.checked ? `-${date.value.slice(4)}` : date.value),
  };
}

function initials(name: string): string {
  return name.split(/\s+/).filter(Boolean).slice(0, 2).map((w) => w[0]!.toUpperCase()).join('') || '?';
}

function typedRows(label: string, kind: string, items: readonly Typed[], types: string[]): { el: HTMLElement; read: () => Typed[] } {
  const box = h('div.rows');
  const add = (t: Typed): void => {
    const type = h('select', { 'aria-label': `${label} type` }, ...[...new Set([...types, t.type])].map((x) => h('option', { value: x }, x || 'other')));
    type.value = t.type;
    const value = h('input', { type: kind === 'email' ? 'email' : 'tel', value: t.value, 'aria-label': label, name: kind });
    const row = h('div.row.typed', {}, type, value, h('button.link', { type: 'button', 'aria-label': `Remove ${label}`, onclick: () => row.remove() }, '×'));
    box.append(row);
  };
  items.forEach(add);
  return {
    el: h('fieldset', {}, h('legend', {}, `${label}s`), box, h('button.link', { type: 'button', onclick: () => add({ type: types[0]!, value: '' }) }, `+ Add ${label.toLowerCase()}`)),
    read: () => Array.from(box.querySelectorAll('.typed')).map((r) => ({ type: r.querySelector('select')!.value, value: r.querySelector('input')!.value.trim() })).filter((t) => t.value),
  };
}

function addressRows(items: readonly Address[]): { el: HTMLElement; read: () => Address[] } {
  const box = h('div.rows');
  const keys = ['street', 'city', 'region', 'code', 'country'] as const;
  const labels = { street: 'Street', city: 'City', region: 'Region', code: 'Postcode', country: 'Country' };
  const add = (a: Address): void => {
    const type = h('select', { 'aria-label': 'Address type' }, ...[...new Set(['home', 'work', a.type])].map((x) => h('option', { value: x }, x || 'other')));
    type.value = a.type;
    const inputs = keys.map((k) => h('input', { type: 'text', value: a[k], placeholder: labels[k], 'aria-label': labels[k], 'data-k': k }));
    const row = h('div.address', {}, h('div.row', {}, type, h('button.link', { type: 'button', onclick: () => row.remove() }, 'Remove')), ...inputs);
    box.append(row);
  };
  items.forEach(add);
  return {
    el: h('fieldset', {}, h('legend', {}, 'Addresses'), box, h('button.link', { type: 'button', onclick: () => add({ type: 'home', street: '', city: '', region: '', code: '', country: '' }) }, '+ Add address')),
    read: () => Array.from(box.querySelectorAll('.address')).map((r) => {
      const get = (k: string): string => (r.querySelector(`[data-k=${k}]`) as HTMLInputElement).value;
      return { type: r.querySelector('select')!.value, street: get('street'), city: get('city'), region: get('region'), code: get('code'), country: get('country') };
    }),
  };
}

/** A photo is scaled to at most 256 px and stored as JPEG, so cards stay small. */
async function shrinkPhoto(file: File): Promise<string> {
  const url = URL.createObjectURL(file);
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    const scale = Math.min(1, 256 / Math.max(img.width, img.height));
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(img.width * scale);
    canvas.height = Math.round(img.height * scale);
    canvas.getContext('2d')!.drawImage(img, 0, 0, canvas.width, canvas.height);
    return canvas.toDataURL('image/jpeg', 0.85);
  } finally {
    URL.revokeObjectURL(url);
  }
}
