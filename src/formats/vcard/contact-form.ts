import { convertVcard } from './convert.js';
import { all, first, param, prop, versionOf, type VCard, type VParam, type VProperty } from './model.js';
import { escapeText, splitRaw, unescapeText } from './text.js';

/**
 * The fields a contact editor shows, read from a card and written back into it (vCard 3.0,
 * RFC 2426, and 4.0, RFC 6350). Values here are decoded text; escaping happens only in
 * text.ts, so a `\;` in a TITLE is one `;` in the form and one `\;` on the wire again.
 *
 * Writing back is minimal-change: a property whose field did not change is kept as it came
 * (group, parameters, escapes, folding choices of the writer aside), and every property the
 * form does not know (X-, IMPP, groups' labels, PHOTO URIs…) is kept verbatim.
 */

export interface Typed {
  /** Lower-case TYPE (`cell`, `work`…) without `pref`/`voice`/`internet`; '' when none. */
  readonly type: string;
  readonly value: string;
}

export interface Address {
  readonly type: string;
  readonly street: string;
  readonly city: string;
  readonly region: string;
  readonly code: string;
  readonly country: string;
}

export interface ContactForm {
  readonly given: string;
  readonly family: string;
  /** FN; derived from the name when empty. */
  readonly fullName: string;
  /** ORG's first component (the organisation name; units are kept). */
  readonly org: string;
  readonly title: string;
  readonly phones: readonly Typed[];
  readonly emails: readonly Typed[];
  readonly addresses: readonly Address[];
  /** `YYYY-MM-DD`, `--MM-DD` (no year, RFC 6350 §4.3.1) or ''. */
  readonly birthday: string;
  /** A data: URL, another URI (http…), or ''. */
  readonly photo: string;
  readonly note: string;
  /** CATEGORIES (RFC 6350 §6.7.1): the groups the contact is in, Nextcloud style. */
  readonly groups: readonly string[];
}

export const EMPTY_CONTACT_FORM: ContactForm = {
  given: '',
  family: '',
  fullName: '',
  org: '',
  title: '',
  phones: [],
  emails: [],
  addresses: [],
  birthday: '',
  photo: '',
  note: '',
  groups: [],
};

/** TYPE values that qualify rather than name a phone or address kind. */
const QUALIFIERS = new Set(['pref', 'voice', 'internet']);

function text(p: VProperty | undefined): string {
  return p ? unescapeText(p.value) : '';
}

function component(p: VProperty | undefined, i: number): string {
  return p ? unescapeText(splitRaw(p.value, ';')[i] ?? '') : '';
}

/** TYPE values, split on commas (a quoted `TYPE="WORK,VOICE"` is one parameter value). */
function typeValues(p: VProperty | undefined): string[] {
  return (p ? (param(p, 'TYPE')?.values ?? []) : [])
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);
}

function kindOf(p: VProperty): string {
  return (
    typeValues(p)
      .map((v) => v.toLowerCase())
      .find((v) => !QUALIFIERS.has(v)) ?? ''
  );
}

function isUri(p: VProperty): boolean {
  return param(p, 'VALUE')?.values[0]?.toLowerCase() === 'uri';
}

function telValue(p: VProperty): string {
  if (isUri(p) || /^tel:/i.test(p.value)) return p.value.replace(/^tel:/i, '');
  return unescapeText(p.value);
}

/** A vCard 3 property seen as vCard 4 (ENCODING=b → data: URI, X-APPLE-OMIT-YEAR → `--MMDD`). */
function as4(p: VProperty, v4: boolean): VProperty {
  if (v4) return p;
  return convertVcard({ properties: [prop('VERSION', '3.0'), p] }, '4.0').properties[1] ?? p;
}

/** A property built in vCard 4 form, written in the card's version. */
function inVersion(p: VProperty, v4: boolean): VProperty {
  if (v4) return p;
  return (
    convertVcard({ properties: [prop('VERSION', '4.0'), p] }, '3.0').properties.find((q) => q.name === p.name) ?? p
  );
}

function readBirthday(p: VProperty | undefined, v4: boolean): string {
  if (!p || param(p, 'VALUE')?.values[0]?.toLowerCase() === 'text') return '';
  const v = as4(p, v4).value.trim();
  const full = /^(\d{4})-?(\d{2})-?(\d{2})(?:T.*)?$/.exec(v);
  if (full) return `${full[1]}-${full[2]}-${full[3]}`;
  const noYear = /^--(\d{2})-?(\d{2})$/.exec(v);
  return noYear ? `--${noYear[1]}-${noYear[2]}` : '';
}

function readPhoto(p: VProperty | undefined, v4: boolean): string {
  if (!p) return '';
  const v = as4(p, v4).value.trim();
  return /^[a-z][a-z0-9+.-]*:/i.test(v) ? v : '';
}

/** The form of a card. */
export function readContactForm(card: VCard): ContactForm {
  const v4 = versionOf(card) === '4.0';
  const n = first(card, 'N');
  return {
    given: component(n, 1),
    family: component(n, 0),
    fullName: text(first(card, 'FN')),
    org: component(first(card, 'ORG'), 0),
    title: text(first(card, 'TITLE')),
    phones: all(card, 'TEL').map((p) => ({ type: kindOf(p), value: telValue(p) })),
    emails: all(card, 'EMAIL').map((p) => ({ type: kindOf(p), value: unescapeText(p.value) })),
    addresses: all(card, 'ADR').map((p) => ({
      type: kindOf(p),
      street: component(p, 2),
      city: component(p, 3),
      region: component(p, 4),
      code: component(p, 5),
      country: component(p, 6),
    })),
    birthday: readBirthday(first(card, 'BDAY'), v4),
    photo: readPhoto(first(card, 'PHOTO'), v4),
    note: text(first(card, 'NOTE')),
    groups: all(card, 'CATEGORIES')
      .flatMap((p) => splitRaw(p.value, ',').map((g) => unescapeText(g).trim()))
      .filter(Boolean),
  };
}

/** What a list shows for the contact: FN, else the name, organisation or first email. */
export function displayName(f: ContactForm): string {
  return f.fullName.trim() || derivedName(f) || '(no name)';
}

function derivedName(f: ContactForm): string {
  return (
    [f.given, f.family]
      .map((x) => x.trim())
      .filter(Boolean)
      .join(' ') ||
    f.org.trim() ||
    f.emails[0]?.value.trim() ||
    ''
  );
}

/** TYPE for `kind`, keeping the qualifiers (pref, voice, internet) of the property it replaces. */
function withKind(params: readonly VParam[], kind: string, v4: boolean): VParam[] {
  const old = params.find((x) => x.name === 'TYPE');
  const kept = (old?.values ?? []).flatMap((v) => v.split(',')).filter((v) => QUALIFIERS.has(v.trim().toLowerCase()));
  const values = kind ? [v4 ? kind.toLowerCase() : kind.toUpperCase(), ...kept] : kept;
  const rest = params.filter((x) => x.name !== 'TYPE');
  return values.length ? [...rest, { name: 'TYPE', values }] : rest;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function sameTyped(a: Typed, b: Typed): boolean {
  return a.type === b.type && a.value === b.value;
}

function sameAddress(a: Address, b: Address): boolean {
  return (
    a.type === b.type &&
    a.street === b.street &&
    a.city === b.city &&
    a.region === b.region &&
    a.code === b.code &&
    a.country === b.country
  );
}

function blankTyped(t: Typed): boolean {
  return t.value.trim() === '';
}

function blankAddress(a: Address): boolean {
  return ![a.street, a.city, a.region, a.code, a.country].some((x) => x.trim());
}

/** The card's properties being rewritten: replacements and insertions by identity, order kept. */
class Edit {
  private readonly replaced = new Map<VProperty, VProperty | null>();
  private readonly added: VProperty[] = [];
  constructor(private readonly props: readonly VProperty[]) {}

  set(old: VProperty | undefined, next: VProperty | null): void {
    if (old) this.replaced.set(old, next);
    else if (next) this.added.push(next);
  }

  get changed(): boolean {
    return this.added.length > 0 || [...this.replaced].some(([a, b]) => a !== b);
  }

  result(): VProperty[] {
    const out: VProperty[] = [];
    for (const p of this.props) {
      const r = this.replaced.has(p) ? this.replaced.get(p) : p;
      if (r) out.push(r);
    }
    // New properties go after the last one of the same name, else at the end.
    for (const p of this.added) {
      let at = -1;
      out.forEach((q, i) => {
        if (q.name === p.name) at = i;
      });
      out.splice(at >= 0 ? at + 1 : out.length, 0, p);
    }
    return out;
  }
}

/**
 * A list field (TEL, EMAIL, ADR): items equal to an existing property keep it; changed items
 * take the place (group, parameters) of an existing property that no longer matches; the rest
 * are removed or added.
 */
function applyList<T>(
  edit: Edit,
  props: readonly VProperty[],
  before: readonly T[],
  after: readonly T[],
  same: (a: T, b: T) => boolean,
  blank: (item: T) => boolean,
  build: (item: T, old: VProperty | undefined, oldItem: T | undefined) => VProperty | null,
): void {
  const unused = props.map((_, i) => i);
  const pending: T[] = [];
  for (const item of after) {
    const hit = unused.findIndex((i) => same(before[i] as T, item));
    if (hit >= 0) unused.splice(hit, 1);
    else if (!blank(item)) pending.push(item); // a blank row the card did not have is no entry
  }
  for (const item of pending) {
    const i = unused.shift();
    edit.set(
      i === undefined ? undefined : props[i],
      build(item, i === undefined ? undefined : props[i], i === undefined ? undefined : before[i]),
    );
  }
  for (const i of unused) edit.set(props[i], null);
}

function setValue(old: VProperty | undefined, name: string, value: string, params: VParam[] | null = null): VProperty {
  return old ? { ...old, params: params ?? old.params, value } : prop(name, value, params ?? []);
}

/** A URI value is written raw (no TEXT escapes): line breaks in it would end the content line. */
function oneLine(uri: string): string {
  return uri.replace(/[\r\n]/g, '');
}

function rev(now: Date): string {
  return `${now.toISOString().slice(0, 19).replace(/[-:]/g, '')}Z`;
}

/** N, FN and ORG. FN follows the name when it was the name (or empty): the editor shows no display name field. */
function applyNames(edit: Edit, card: VCard, old: ContactForm, form: ContactForm): void {
  const nameChanged = old.given !== form.given || old.family !== form.family;
  if (nameChanged) {
    const n = first(card, 'N');
    const parts = n ? splitRaw(n.value, ';') : [];
    while (parts.length < 5) parts.push('');
    parts[0] = escapeText(form.family);
    parts[1] = escapeText(form.given);
    edit.set(n, setValue(n, 'N', parts.join(';')));
  }
  let fn = old.fullName;
  if (form.fullName !== old.fullName) fn = form.fullName.trim() ? form.fullName : derivedName(form);
  else if (nameChanged && (old.fullName === derivedName(old) || old.fullName.trim() === '')) fn = derivedName(form);
  if (fn !== old.fullName) edit.set(first(card, 'FN'), setValue(first(card, 'FN'), 'FN', escapeText(fn)));

  if (old.org !== form.org) {
    const o = first(card, 'ORG');
    const parts = o ? splitRaw(o.value, ';') : [''];
    parts[0] = escapeText(form.org);
    edit.set(o, form.org.trim() === '' && parts.length === 1 ? null : setValue(o, 'ORG', parts.join(';')));
  }
}

/** The list fields: TEL, EMAIL and ADR. */
function applyLists(edit: Edit, card: VCard, old: ContactForm, form: ContactForm, v4: boolean): void {
  applyList(edit, all(card, 'TEL'), old.phones, form.phones, sameTyped, blankTyped, (t, p, was) => {
    const params = p && was?.type === t.type ? [...p.params] : withKind(p?.params ?? [], t.type, v4);
    const uri = v4 && (!p || isUri(p) || /^tel:/i.test(p.value));
    if (uri && !p) params.unshift({ name: 'VALUE', values: ['uri'] });
    return setValue(p, 'TEL', uri ? `tel:${oneLine(t.value)}` : escapeText(t.value), params);
  });
  applyList(edit, all(card, 'EMAIL'), old.emails, form.emails, sameTyped, blankTyped, (t, p, was) => {
    const params =
      p && was?.type === t.type
        ? [...p.params]
        : withKind(p?.params ?? [{ name: 'TYPE', values: v4 ? [] : ['INTERNET'] }], t.type, v4);
    return setValue(p, 'EMAIL', escapeText(t.value), params);
  });
  applyList(edit, all(card, 'ADR'), old.addresses, form.addresses, sameAddress, blankAddress, (a, p, was) => {
    const parts = p ? splitRaw(p.value, ';') : [];
    while (parts.length < 7) parts.push('');
    [a.street, a.city, a.region, a.code, a.country].forEach((x, i) => {
      parts[i + 2] = escapeText(x);
    });
    const params = p && was?.type === a.type ? [...p.params] : withKind(p?.params ?? [], a.type, v4);
    return setValue(p, 'ADR', parts.join(';'), params);
  });
}

/** BDAY, PHOTO and CATEGORIES (the groups). */
function applyDatesAndExtras(edit: Edit, card: VCard, old: ContactForm, form: ContactForm, v4: boolean): void {
  if (old.birthday !== form.birthday) {
    const b = first(card, 'BDAY');
    const m = /^(\d{4}|-)-(\d{2})-(\d{2})$/.exec(form.birthday);
    if (!m) edit.set(b, null);
    else {
      const params = (b?.params ?? []).filter((x) => x.name !== 'VALUE' && x.name !== 'X-APPLE-OMIT-YEAR');
      const value = m[1] === '-' ? `--${m[2]}${m[3]}` : v4 ? `${m[1]}${m[2]}${m[3]}` : `${m[1]}-${m[2]}-${m[3]}`;
      edit.set(b, inVersion({ group: b?.group ?? null, name: 'BDAY', params, value }, v4));
    }
  }
  if (old.photo !== form.photo) {
    const p = first(card, 'PHOTO');
    const params = (p?.params ?? []).filter((x) => !['VALUE', 'ENCODING', 'TYPE', 'MEDIATYPE'].includes(x.name));
    edit.set(
      p,
      form.photo === ''
        ? null
        : inVersion({ group: p?.group ?? null, name: 'PHOTO', params, value: oneLine(form.photo) }, v4),
    );
  }
  if (!sameList(old.groups, form.groups)) {
    const cats = all(card, 'CATEGORIES');
    const groups = form.groups.map((g) => g.trim()).filter(Boolean);
    cats.slice(1).forEach((c) => edit.set(c, null));
    edit.set(cats[0], groups.length ? setValue(cats[0], 'CATEGORIES', groups.map(escapeText).join(',')) : null);
  }
}

/**
 * The card with the form's values: unchanged fields keep their properties byte for byte, a
 * changed field rewrites only its own properties (keeping their groups and parameters). When
 * something changed, an existing REV is set to `now` (RFC 6350 §6.7.4).
 */
export function applyContactForm(card: VCard, form: ContactForm, now: Date = new Date()): VCard {
  const v4 = versionOf(card) === '4.0';
  const old = readContactForm(card);
  const edit = new Edit(card.properties);
  const single = (name: string, before: string, after: string): void => {
    if (before === after) return;
    const p = first(card, name);
    edit.set(p, after.trim() === '' ? null : setValue(p, name, escapeText(after)));
  };
  applyNames(edit, card, old, form);
  single('TITLE', old.title, form.title);
  single('NOTE', old.note, form.note);
  applyLists(edit, card, old, form, v4);
  applyDatesAndExtras(edit, card, old, form, v4);

  if (!edit.changed) return card;
  const r = first(card, 'REV');
  if (r) edit.set(r, { ...r, params: r.params.filter((x) => x.name !== 'VALUE'), value: rev(now) });
  return { properties: edit.result() };
}

/** A new vCard 3.0 (what every CardDAV server and client reads, RFC 6352 §5.1) holding the form. */
export function newContactCard(form: ContactForm, uid: string, now: Date = new Date()): VCard {
  const base: VCard = {
    properties: [
      prop('VERSION', '3.0'),
      prop('PRODID', '-//Almanac//Web//EN'),
      prop('UID', escapeText(uid)),
      prop('FN', ''),
      prop('N', ';;;;'),
    ],
  };
  const filled = applyContactForm(base, { ...form, fullName: form.fullName.trim() || derivedName(form) }, now);
  return { properties: [...filled.properties, prop('REV', rev(now))] };
}
