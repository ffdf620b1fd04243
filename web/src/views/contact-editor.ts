import type { Address, ContactForm, Typed } from '../../../src/formats/vcard/contact-form.js';
import type { Collection } from '../state.js';
import { modal } from '../ui/dialog.js';
import { t, tOr } from '../i18n/index.js';
import { field, h } from '../ui/dom.js';

export interface EditorResult {
  readonly form: ContactForm;
  /** The address book chosen for a new contact. */
  readonly bookKey: string;
}

/**
 * The contact editor dialog: the form's fields as inputs; resolves with the edited form, or
 * null on Cancel. Groups are a comma-separated list with the known group names offered.
 */
export async function editContactDialog(
  title: string,
  f: ContactForm,
  books: readonly Collection[],
  groupNames: readonly string[],
  bookFixed: boolean,
): Promise<EditorResult | null> {
  const given = h('input', { type: 'text', name: 'given', value: f.given, autocomplete: 'off' });
  const family = h('input', { type: 'text', name: 'family', value: f.family, autocomplete: 'off' });
  const org = h('input', { type: 'text', name: 'org', value: f.org });
  const jobTitle = h('input', { type: 'text', name: 'jobtitle', value: f.title });
  const phones = typedRows('tel', f.phones, ['cell', 'home', 'work', 'fax']);
  const emails = typedRows('email', f.emails, ['home', 'work', 'other']);
  const addresses = addressRows(f.addresses);
  const birthday = birthdayInput(f.birthday);
  const known = h('datalist', { id: 'contact-group-names' }, ...groupNames.map((g) => h('option', { value: g })));
  const groups = h('input', {
    type: 'text',
    name: 'groups',
    value: f.groups.join(', '),
    placeholder: t('contacts.groupsPlaceholder'),
    list: 'contact-group-names',
    autocomplete: 'off',
  });
  const note = h('textarea', { name: 'note', rows: 3 }, f.note);
  let photo = f.photo;
  const preview = h('img.photo', { src: photo || undefined, alt: '', hidden: !photo });
  const file = h('input', { type: 'file', accept: 'image/*', 'aria-label': t('common.photo') });
  file.addEventListener('change', () => {
    const chosen = file.files?.[0];
    if (chosen)
      void shrinkPhoto(chosen).then((url) => {
        photo = url;
        preview.src = url;
        preview.hidden = false;
      });
  });
  const book = h(
    'select',
    { name: 'book', disabled: bookFixed },
    ...books.map((c) => h('option', { value: c.key }, c.dav.displayName)),
  );
  const body = h(
    'div.editor',
    {},
    h('div.grid2', {}, field(t('contacts.firstName'), given), field(t('contacts.lastName'), family)),
    h('div.grid2', {}, field(t('contacts.organisation'), org), field(t('contacts.jobTitle'), jobTitle)),
    phones.el,
    emails.el,
    addresses.el,
    h('div.grid2', {}, birthday.el, field(t('common.groups'), h('span', {}, groups, known))),
    field(
      t('common.photo'),
      h(
        'div.row',
        {},
        preview,
        file,
        h(
          'button.link',
          {
            type: 'button',
            onclick: () => {
              photo = '';
              preview.hidden = true;
            },
          },
          t('common.remove'),
        ),
      ),
    ),
    field(t('common.note'), note),
    field(t('common.addressBook'), book),
  );
  const { result } = modal(
    title,
    body,
    [
      { label: t('dialog.cancel'), value: 'cancel' },
      { label: t('common.save'), value: 'save', kind: 'primary' },
    ],
    { wide: true },
  );
  if ((await result) !== 'save') return null;
  return {
    bookKey: book.value,
    form: {
      ...f,
      given: given.value,
      family: family.value,
      org: org.value,
      title: jobTitle.value,
      phones: phones.read(),
      emails: emails.read(),
      addresses: addresses.read(),
      birthday: birthday.read(),
      groups: [
        ...new Set(
          groups.value
            .split(',')
            .map((g) => g.trim())
            .filter(Boolean),
        ),
      ],
      note: note.value,
      photo,
    },
  };
}

/** A date input and "Year unknown": a birthday without a year is kept as `--MM-DD` (RFC 6350 §4.3.1). */
function birthdayInput(value: string): { el: HTMLElement; read: () => string } {
  const noYear = value.startsWith('--');
  const date = h('input', { type: 'date', name: 'birthday', value: noYear ? `2000${value.slice(1)}` : value });
  const unknown = h('input', { type: 'checkbox', name: 'birthday-no-year', checked: noYear });
  return {
    el: h('div', {}, field(t('common.birthday'), date), h('label.check', {}, unknown, ` ${t('contacts.yearUnknown')}`)),
    read: () => (date.value && unknown.checked ? `-${date.value.slice(4)}` : date.value),
  };
}

/** A vCard TYPE as the UI language names it (`cell` → "mobile"); unknown types as written. */
export const typeLabel = (type: string): string => tOr(`contacts.type.${type || 'other'}`, type);

function typedRows(
  kind: 'tel' | 'email',
  items: readonly Typed[],
  types: string[],
): { el: HTMLElement; read: () => Typed[] } {
  const label = kind === 'email' ? t('common.email') : t('common.phone');
  const box = h('div.rows');
  const add = (item: Typed): void => {
    const type = h(
      'select',
      { 'aria-label': t('contacts.typeOf', { label }) },
      ...[...new Set([...types, item.type])].map((x) => h('option', { value: x }, typeLabel(x))),
    );
    type.value = item.type;
    const value = h('input', {
      type: kind === 'email' ? 'email' : 'tel',
      value: item.value,
      'aria-label': label,
      name: kind,
    });
    const row = h(
      'div.row.typed',
      {},
      type,
      value,
      h(
        'button.link',
        { type: 'button', 'aria-label': t('contacts.removeNamed', { label }), onclick: () => row.remove() },
        '×',
      ),
    );
    box.append(row);
  };
  items.forEach(add);
  return {
    el: h(
      'fieldset',
      {},
      h('legend', {}, kind === 'email' ? t('contacts.emails') : t('contacts.phones')),
      box,
      h(
        'button.link',
        { type: 'button', onclick: () => add({ type: types[0]!, value: '' }) },
        kind === 'email' ? t('contacts.addEmail') : t('contacts.addPhone'),
      ),
    ),
    read: () =>
      Array.from(box.querySelectorAll('.typed'))
        .map((r) => ({ type: r.querySelector('select')!.value, value: r.querySelector('input')!.value.trim() }))
        .filter((x) => x.value),
  };
}

function addressRows(items: readonly Address[]): { el: HTMLElement; read: () => Address[] } {
  const box = h('div.rows');
  const keys = ['street', 'city', 'region', 'code', 'country'] as const;
  const labels = {
    street: t('contacts.street'),
    city: t('contacts.city'),
    region: t('contacts.region'),
    code: t('contacts.postcode'),
    country: t('contacts.country'),
  };
  const add = (a: Address): void => {
    const type = h(
      'select',
      { 'aria-label': t('contacts.addressType') },
      ...[...new Set(['home', 'work', a.type])].map((x) => h('option', { value: x }, typeLabel(x))),
    );
    type.value = a.type;
    const inputs = keys.map((k) =>
      h('input', { type: 'text', value: a[k], placeholder: labels[k], 'aria-label': labels[k], 'data-k': k }),
    );
    const row = h(
      'div.address',
      {},
      h('div.row', {}, type, h('button.link', { type: 'button', onclick: () => row.remove() }, t('common.remove'))),
      ...inputs,
    );
    box.append(row);
  };
  items.forEach(add);
  return {
    el: h(
      'fieldset',
      {},
      h('legend', {}, t('contacts.addresses')),
      box,
      h(
        'button.link',
        {
          type: 'button',
          onclick: () => add({ type: 'home', street: '', city: '', region: '', code: '', country: '' }),
        },
        t('contacts.addAddress'),
      ),
    ),
    read: () =>
      Array.from(box.querySelectorAll('.address')).map((r) => {
        const get = (k: string): string => (r.querySelector(`[data-k=${k}]`) as HTMLInputElement).value;
        return {
          type: r.querySelector('select')!.value,
          street: get('street'),
          city: get('city'),
          region: get('region'),
          code: get('code'),
          country: get('country'),
        };
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
