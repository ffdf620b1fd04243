import ICAL from 'ical.js';
import { newUid } from './ical-time.js';

/** A contact as the address book shows and edits it (vCard 3.0, RFC 2426; 4.0, RFC 6350, is read too). */
export interface Typed { type: string; value: string }
export interface Address { type: string; street: string; city: string; region: string; code: string; country: string }

export interface ContactForm {
  given: string;
  family: string;
  /** FN; derived from the name when empty. */
  fullName: string;
  org: string;
  title: string;
  phones: Typed[];
  emails: Typed[];
  addresses: Address[];
  /** YYYY-MM-DD or ''. */
  birthday: string;
  /** data: URL or ''. */
  photo: string;
  note: string;
  /** CATEGORIES: the groups the contact is in. */
  groups: string[];
}

/** What search and the list need, kept small so 10,000 of them stay in memory. */
export interface ContactSummary {
  readonly uid: string;
  readonly name: string;
  readonly org: string;
  readonly emails: string[];
  readonly phones: string[];
  readonly groups: string[];
  /** Lower-cased text searched by the filter box. */
  readonly haystack: string;
}

function types(p: ICAL.Property): string {
  const t = p.getParameter('type');
  const list = (Array.isArray(t) ? t : t ? [t] : []).map((x) => String(x).toLowerCase()).filter((x) => x !== 'pref' && x !== 'internet' && x !== 'voice');
  return list[0] ?? '';
}

function str(v: unknown): string {
  if (Array.isArray(v)) return v.map(str).join(',');
  return v === null || v === undefined ? '' : String(v);
}

function parseCard(data: string): ICAL.Component {
  const parsed = ICAL.parse(data);
  const first = Array.isArray(parsed[0]) ? parsed[0] : parsed;
  return new ICAL.Component(first as unknown[]);
}

export function readContact(data: string): ContactForm {
  const c = parseCard(data);
  const n = c.getFirstPropertyValue('n') as unknown;
  const nParts = Array.isArray(n) ? n.map(str) : str(n).split(';');
  const photoProp = c.getFirstProperty('photo');
  let photo = '';
  if (photoProp) {
    const v = str(photoProp.getFirstValue());
    if (v.startsWith('data:')) photo = v;
    else if (photoProp.getParameter('encoding')) {
      const type = str(photoProp.getParameter('type') || 'jpeg').toLowerCase();
      photo = `data:image/${type === 'jpg' ? 'jpeg' : type};base64,${v.replace(/\s+/g, '')}`;
    }
  }
  const bday = c.getFirstPropertyValue('bday') as unknown;
  let birthday = '';
  if (bday instanceof ICAL.Time) birthday = `${String(bday.year).padStart(4, '0')}-${String(bday.month).padStart(2, '0')}-${String(bday.day).padStart(2, '0')}`;
  else if (bday && typeof (bday as { year?: number }).year === 'number') {
    const b = bday as { year: number; month: number; day: number };
    birthday = `${String(b.year).padStart(4, '0')}-${String(b.month).padStart(2, '0')}-${String(b.day).padStart(2, '0')}`;
  } else if (typeof bday === 'string') birthday = /^\d{4}-?\d{2}-?\d{2}/.test(bday) ? bday.replace(/^(\d{4})-?(\d{2})-?(\d{2}).*$/, '$1-$2-$3') : '';
  const org = c.getFirstPropertyValue('org') as unknown;
  return {
    given: nParts[1] ?? '',
    family: nParts[0] ?? '',
    fullName: str(c.getFirstPropertyValue('fn')),
    org: Array.isArray(org) ? str(org[0]) : str(org).split(';')[0] ?? '',
    title: str(c.getFirstPropertyValue('title')),
    phones: c.getAllProperties('tel').map((p) => ({ type: types(p) || 'cell', value: str(p.getFirstValue()).replace(/^tel:/, '') })),
    emails: c.getAllProperties('email').map((p) => ({ type: types(p) || 'home', value: str(p.getFirstValue()) })),
    addresses: c.getAllProperties('adr').map((p) => {
      const v = p.getFirstValue() as unknown;
      const a = Array.isArray(v) ? v.map(str) : str(v).split(';');
      return { type: types(p) || 'home', street: a[2] ?? '', city: a[3] ?? '', region: a[4] ?? '', code: a[5] ?? '', country: a[6] ?? '' };
    }),
    birthday,
    photo,
    note: str(c.getFirstPropertyValue('note')),
    groups: c.getAllProperties('categories').flatMap((p) => p.getValues().map(str)).filter(Boolean),
  };
}

export function displayName(f: ContactForm): string {
  return f.fullName.trim() || [f.given, f.family].filter((x) => x.trim()).join(' ') || f.org || f.emails[0]?.value || '(no name)';
}

export function summarise(data: string): ContactSummary {
  let f: ContactForm;
  let uid = '';
  try {
    f = readContact(data);
    uid = /\nUID[^:]*:(.*)/i.exec(data)?.[1]?.trim() ?? '';
  } catch {
    return { uid, name: '(unreadable card)', org: '', emails: [], phones: [], groups: [], haystack: '' };
  }
  const name = displayName(f);
  const emails = f.emails.map((e) => e.value);
  const phones = f.phones.map((p) => p.value);
  return { uid, name, org: f.org, emails, phones, groups: f.groups, haystack: [name, f.org, ...emails, ...phones, ...f.groups].join(' ').toLowerCase() };
}

/** RFC 6350 §3.4 escaping of a text value (and of components with `;`). */
function esc(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/,/g, '\\,').replace(/;/g, '\\;');
}

/** Lines longer than 75 octets are folded (RFC 6350 §3.2). */
function fold(line: string): string {
  const bytes = new TextEncoder().encode(line);
  if (bytes.length <= 75) return line;
  const out: string[] = [];
  let cur = '';
  let len = 0;
  for (const ch of line) {
    const n = new TextEncoder().encode(ch).length;
    if (len + n > (out.length === 0 ? 75 : 74)) {
      out.push(cur);
      cur = '';
      len = 0;
    }
    cur += ch;
    len += n;
  }
  out.push(cur);
  return out.join('\r\n ');
}

/** vCard 3.0 text (what CardDAV servers and clients all accept, RFC 6352 §5.1). */
export function writeContact(f: ContactForm, uid = newUid(), keep: string[] = []): { uid: string; data: string } {
  const lines = ['BEGIN:VCARD', 'VERSION:3.0', 'PRODID:-//Almanac//Web//EN', `UID:${uid}`];
  lines.push(`FN:${esc(displayName(f))}`);
  lines.push(`N:${esc(f.family)};${esc(f.given)};;;`);
  if (f.org.trim()) lines.push(`ORG:${esc(f.org)}`);
  if (f.title.trim()) lines.push(`TITLE:${esc(f.title)}`);
  for (const p of f.phones) if (p.value.trim()) lines.push(`TEL;TYPE=${p.type.toUpperCase() || 'CELL'}:${esc(p.value.trim())}`);
  for (const e of f.emails) if (e.value.trim()) lines.push(`EMAIL;TYPE=INTERNET,${e.type.toUpperCase() || 'HOME'}:${esc(e.value.trim())}`);
  for (const a of f.addresses) {
    if (![a.street, a.city, a.region, a.code, a.country].some((x) => x.trim())) continue;
    lines.push(`ADR;TYPE=${a.type.toUpperCase() || 'HOME'}:;;${[a.street, a.city, a.region, a.code, a.country].map(esc).join(';')}`);
  }
  if (f.birthday) lines.push(`BDAY;VALUE=date:${f.birthday}`);
  if (f.note.trim()) lines.push(`NOTE:${esc(f.note)}`);
  if (f.groups.length) lines.push(`CATEGORIES:${f.groups.map(esc).join(',')}`);
  const m = /^data:image\/([a-z]+);base64,(.*)$/i.exec(f.photo);
  if (m) lines.push(`PHOTO;ENCODING=b;TYPE=${m[1]!.toUpperCase()}:${m[2]}`);
  lines.push(...keep);
  lines.push(`REV:${new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '')}`, 'END:VCARD');
  return { uid, data: `${lines.map(fold).join('\r\n')}\r\n` };
}

/** Properties of an existing card the form does not edit, carried over verbatim on save. */
export function unknownLines(data: string): string[] {
  const edited = new Set(['BEGIN', 'END', 'VERSION', 'PRODID', 'UID', 'FN', 'N', 'ORG', 'TITLE', 'TEL', 'EMAIL', 'ADR', 'BDAY', 'NOTE', 'CATEGORIES', 'PHOTO', 'REV']);
  const unfolded = data.replace(/\r?\n[ \t]/g, '').split(/\r?\n/).filter(Boolean);
  return unfolded.filter((l) => {
    const name = /^(?:[A-Za-z0-9-]+\.)?([A-Za-z0-9-]+)/.exec(l)?.[1]?.toUpperCase() ?? '';
    return !edited.has(name);
  });
}

export function uidOf(data: string): string | undefined {
  return /(?:^|\n)UID[^:\n]*:([^\r\n]*)/i.exec(data)?.[1]?.trim();
}
