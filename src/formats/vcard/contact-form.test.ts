import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  applyContactForm,
  displayName,
  newContactCard,
  readContactForm,
  type Address,
  type ContactForm,
  type Typed,
} from './contact-form.js';
import type { VCard, VParam, VProperty } from './model.js';
import { parseVcard } from './parse.js';
import { rewriteVcard } from './rewrite.js';
import { uidOf } from './uid.js';
import { contentLine, writeVcard } from './write.js';
import { escapeText } from './text.js';

/** mulberry32: a small seeded generator, so every run sends the same cards. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rand = () => number;
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
const int = (r: Rand, lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));

const NASTY = [
  ';',
  ',',
  '\\',
  '\n',
  ':',
  '"',
  '^',
  '=',
  ' ',
  'é',
  'ß',
  '日本',
  '😀',
  'R&D',
  '\\;',
  '\\n',
  'x',
  'Berlin',
  '\t',
];
/** Text with the characters vCard escaping is about; sometimes long enough to fold many times. */
function nasty(r: Rand, long = false): string {
  const n = long && r() < 0.3 ? int(r, 40, 120) : int(r, 1, 8);
  let s = '';
  for (let i = 0; i < n; i++)
    s += r() < 0.5 ? pick(r, NASTY) : pick(r, ['Head', 'of', 'Ada', 'Lovelace', 'Zoë', 'Ñandú', 'note']);
  return s;
}
/** A single-line field (what an `<input>` can hold): no line breaks. */
const line = (r: Rand, long = false): string => nasty(r, long).replace(/\n/g, ' ').replace(/\t/g, ' ');
/** Values a person would keep: not blank after trimming (blank list items are dropped on save). */
const filled = (s: string): string => (s.trim() ? s : `${s}x`);

function p(name: string, value: string, params: VParam[] = [], group: string | null = null): VProperty {
  return { group, name, params, value };
}

const B64 = '/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAAMCAgMCAgMDAwMEAwMEBQgFBQQEBQoHBwYIDAoMDAsKCwsNDhIQDQ4RDgsLEBYQERMUFRUV';

/** One of the BDAY forms real vCard 3 or 4 cards carry. */
function randomBirthday(r: Rand, v4: boolean): VProperty {
  const forms = v4
    ? [
        p('BDAY', '19900102'),
        p('BDAY', '--0229'),
        p('BDAY', 'circa 1800', [{ name: 'VALUE', values: ['text'] }]),
        p('BDAY', '1985-04-12T00:00:00Z'),
      ]
    : [
        p('BDAY', '1990-01-02'),
        p('BDAY', '19900102'),
        p('BDAY', '1604-02-29', [{ name: 'X-APPLE-OMIT-YEAR', values: ['1604'] }]),
        p('BDAY', '--0229'),
        p('BDAY', '1990-01-02', [{ name: 'VALUE', values: ['date'] }]),
      ];
  return pick(r, forms);
}

/** An inline or linked PHOTO in the card's version. */
function randomPhoto(r: Rand, v4: boolean): VProperty {
  const forms = v4
    ? [
        p('PHOTO', `data:image/png;base64,${B64}`),
        p('PHOTO', 'https://example.org/a.jpg', [{ name: 'MEDIATYPE', values: ['image/jpeg'] }]),
      ]
    : [
        p('PHOTO', B64, [
          { name: 'ENCODING', values: ['b'] },
          { name: 'TYPE', values: ['JPEG'] },
        ]),
        p('PHOTO', 'http://example.org/a.jpg', [{ name: 'VALUE', values: ['uri'] }]),
      ];
  return pick(r, forms);
}

function randomCard(r: Rand): VCard {
  const v4 = r() < 0.5;
  const props: VProperty[] = [p('VERSION', v4 ? '4.0' : '3.0'), p('UID', `urn:uuid:${int(r, 1, 1e9)}`)];
  const comps = (k: number): string =>
    Array.from({ length: k }, () =>
      r() < 0.3 ? '' : r() < 0.2 ? `${escapeText(line(r))},${escapeText(line(r))}` : escapeText(line(r)),
    ).join(';');
  props.push(p('FN', escapeText(nasty(r, true))));
  if (r() < 0.9) props.push(p('N', comps(5)));
  if (r() < 0.6) props.push(p('ORG', comps(int(r, 1, 3))));
  if (r() < 0.5) props.push(p('TITLE', escapeText(nasty(r, true))));
  if (r() < 0.5)
    props.push(p('NOTE', escapeText(nasty(r, true)), r() < 0.3 ? [{ name: 'LANGUAGE', values: ['de'] }] : []));
  const types = (xs: string[]): VParam[] =>
    r() < 0.3 ? [] : [{ name: 'TYPE', values: [pick(r, xs), ...(r() < 0.3 ? [v4 ? 'pref' : 'PREF'] : [])] }];
  for (let i = int(r, 0, 3); i > 0; i--) {
    const num = `+${int(r, 1, 99)} ${int(r, 100, 999)} ${int(r, 1000, 9999)}`;
    if (v4 && r() < 0.5)
      props.push(p('TEL', `tel:${num}`, [{ name: 'VALUE', values: ['uri'] }, ...types(['cell', 'home', 'work'])]));
    else props.push(p('TEL', escapeText(num), types(['CELL', 'HOME', 'WORK,VOICE', 'x-custom'])));
  }
  for (let i = int(r, 0, 3); i > 0; i--) {
    const group = r() < 0.3 ? `item${i}` : null;
    props.push(p('EMAIL', escapeText(`${line(r)}@example.org`), types(['INTERNET', 'HOME', 'work']), group));
    if (group) props.push(p('X-ABLABEL', escapeText(nasty(r)), [], group));
  }
  for (let i = int(r, 0, 2); i > 0; i--)
    props.push(
      p('ADR', comps(7), [...types(['HOME', 'WORK']), ...(r() < 0.3 ? [{ name: 'LABEL', values: [nasty(r)] }] : [])]),
    );
  if (r() < 0.6) props.push(randomBirthday(r, v4));
  if (r() < 0.4) props.push(randomPhoto(r, v4));
  for (let i = int(r, 0, 2); i > 0; i--)
    props.push(p('CATEGORIES', Array.from({ length: int(r, 1, 3) }, () => escapeText(filled(line(r)))).join(',')));
  if (r() < 0.5)
    props.push(
      p(
        'X-SOCIAL',
        escapeText(nasty(r)),
        [{ name: 'X-Q', values: ['a:b;c', nasty(r).replace(/\n/g, '')] }],
        r() < 0.5 ? 'g1' : null,
      ),
    );
  if (r() < 0.3) props.push(p('IMPP', 'xmpp:ada@example.org', [{ name: 'X-SERVICE-TYPE', values: ['Jabber'] }]));
  if (r() < 0.5) props.push(p('REV', '20200101T000000Z'));
  // Shuffle everything after VERSION: real cards come in every order.
  for (let i = props.length - 1; i > 1; i--) {
    const j = 1 + Math.floor(r() * i);
    [props[i], props[j]] = [props[j] as VProperty, props[i] as VProperty];
  }
  return { properties: props };
}

const typed = (r: Rand, kind: 'tel' | 'email'): Typed => ({
  type: pick(r, ['cell', 'home', 'work', '']),
  value: filled(kind === 'tel' ? `+${int(r, 1, 99)} ${line(r).replace(/\s+/g, '')}` : `${line(r)}@example.net`).trim(),
});
const address = (r: Rand): Address => ({
  type: pick(r, ['home', 'work']),
  street: nasty(r),
  city: line(r),
  region: '',
  code: `${int(r, 10000, 99999)}`,
  country: line(r),
});

/** One field of the form changed to a new random value, with the property names it may touch. */
function editOne(r: Rand, f: ContactForm): { form: ContactForm; touches: string[] } {
  switch (int(r, 0, 10)) {
    case 0:
      return { form: { ...f, given: line(r) }, touches: ['N', 'FN'] };
    case 1:
      return { form: { ...f, family: line(r) }, touches: ['N', 'FN'] };
    case 2:
      return { form: { ...f, fullName: filled(nasty(r, true)) }, touches: ['FN'] };
    case 3:
      return { form: { ...f, org: filled(line(r)) }, touches: ['ORG'] };
    case 4:
      return { form: { ...f, title: filled(line(r, true)) }, touches: ['TITLE'] };
    case 5:
      return { form: { ...f, note: filled(nasty(r, true).replace(/\t/g, ' ')) }, touches: ['NOTE'] };
    case 6: {
      const phones = [...f.phones];
      if (phones.length && r() < 0.5) phones.splice(int(r, 0, phones.length - 1), 1, typed(r, 'tel'));
      else phones.push(typed(r, 'tel'));
      return { form: { ...f, phones }, touches: ['TEL'] };
    }
    case 7: {
      const emails =
        f.emails.length && r() < 0.5 ? f.emails.filter((_, i) => i !== 0) : [...f.emails, typed(r, 'email')];
      return { form: { ...f, emails }, touches: ['EMAIL'] };
    }
    case 8:
      return { form: { ...f, addresses: [...f.addresses, address(r)] }, touches: ['ADR'] };
    case 9:
      return { form: { ...f, birthday: pick(r, ['1971-12-31', '--02-29', '2000-02-29', '']) }, touches: ['BDAY'] };
    default:
      return { form: { ...f, groups: [...f.groups, filled(line(r)).trim()] }, touches: ['CATEGORIES'] };
  }
}

const lines = (c: VCard, skip: readonly string[] = []): string[] =>
  c.properties.filter((x) => !skip.includes(x.name)).map((x) => contentLine(x));
const CASES = 400;

test('contact form, property test: any card the parser accepts survives read → apply the unchanged form → write byte-identical', () => {
  const r = rng(20261204);
  for (let i = 0; i < CASES; i++) {
    const text = writeVcard(randomCard(r));
    const card = parseVcard(text);
    // The form goes through JSON as it would through an editor: nothing shared with the card.
    const form = JSON.parse(JSON.stringify(readContactForm(card))) as ContactForm;
    const out = writeVcard(applyContactForm(card, form));
    assert.equal(out, text, `case ${i}`);
  }
});

test('contact form, property test: editing one field rewrites only its properties, and the value reads back exactly (RFC 6350 §3.4 escaping)', () => {
  const r = rng(4242);
  for (let i = 0; i < CASES; i++) {
    const card = parseVcard(writeVcard(randomCard(r)));
    const before = readContactForm(card);
    const { form, touches } = editOne(r, before);
    const text = writeVcard(applyContactForm(card, form, new Date(Date.UTC(2026, 11, 4, 9, 0, 0))));
    const back = parseVcard(text);
    const ctx = `case ${i}:\n${text}`;
    assert.deepEqual(lines(back, [...touches, 'REV']), lines(card, [...touches, 'REV']), ctx);
    const read = readContactForm(back);
    const expected: ContactForm = {
      ...form,
      phones: form.phones.filter((t) => t.value.trim()),
      emails: form.emails.filter((t) => t.value.trim()),
      groups: form.groups.map((g) => g.trim()).filter(Boolean),
    };
    if (touches.includes('N')) assert.deepEqual({ ...read, fullName: '' }, { ...expected, fullName: '' }, ctx);
    else assert.deepEqual(read, expected, ctx);
    assert.equal(back.properties[0]?.value, card.properties[0]?.value, 'the VERSION is kept');
    for (const l of text.split('\r\n')) assert.ok(Buffer.byteLength(l) <= 75, `folded at 75 octets: ${l}`);
  }
});

test('Head of R&D\\; Berlin reads as "Head of R&D; Berlin" and survives edit → save twice unchanged (the defect the web app had)', () => {
  const text = [
    'BEGIN:VCARD',
    'VERSION:3.0',
    'UID:t1',
    'FN:Ada Lovelace',
    'N:Lovelace;Ada;;;',
    'TITLE:Head of R&D\\; Berlin',
    'NOTE:Line one\\nLine two\\, with comma\\nC:\\\\temp',
    'END:VCARD',
    '',
  ].join('\r\n');
  const card = parseVcard(text);
  const f = readContactForm(card);
  assert.equal(f.title, 'Head of R&D; Berlin');
  assert.equal(f.note, 'Line one\nLine two, with comma\nC:\\temp');
  let out = card;
  for (let i = 0; i < 2; i++)
    out = parseVcard(writeVcard(applyContactForm(out, { ...readContactForm(out), org: 'Engines' })));
  const written = writeVcard(out);
  assert.match(written, /\r\nTITLE:Head of R&D\\; Berlin\r\n/);
  assert.match(written, /\r\nNOTE:Line one\\nLine two\\, with comma\\nC:\\\\temp\r\n/);
  assert.match(written, /\r\nORG:Engines\r\n/);
});

test('rewriteVcard keeps the properties an edit did not touch exactly as the client wrote them (name case, parameter quoting)', () => {
  const text = [
    'BEGIN:VCARD',
    'VERSION:3.0',
    'UID:t3',
    'FN:A',
    'item1.EMAIL;type=INTERNET;type=pref:a@example.org',
    'item1.X-ABLabel:Office',
    'X-P;X-Q=plain:v',
    'TITLE:Old',
    'END:VCARD',
    '',
  ].join('\r\n');
  const card = parseVcard(text);
  const out = rewriteVcard(text, card, applyContactForm(card, { ...readContactForm(card), title: 'New; title' }));
  assert.equal(out, text.replace('TITLE:Old', 'TITLE:New\\; title'));
});

test('edited fields keep their group and parameters: item1.EMAIL with its label, TYPE=pref, vCard 4 TEL;VALUE=uri', () => {
  const card = parseVcard(
    [
      'BEGIN:VCARD',
      'VERSION:4.0',
      'UID:t2',
      'FN:A',
      'item1.EMAIL;TYPE=work;PREF=1:a@example.org',
      'item1.X-ABLabel:Office',
      'TEL;VALUE=uri;TYPE=cell:tel:+44-20-7946-0000',
      'END:VCARD',
      '',
    ].join('\r\n'),
  );
  const f = readContactForm(card);
  assert.deepEqual(f.phones, [{ type: 'cell', value: '+44-20-7946-0000' }]);
  const out = writeVcard(
    applyContactForm(card, {
      ...f,
      emails: [{ type: 'work', value: 'b@example.org' }],
      phones: [
        { type: 'home', value: '+1 555' },
        { type: 'cell', value: '+2 666' },
      ],
    }),
  );
  assert.match(out, /\r\nitem1\.EMAIL;TYPE=work;PREF=1:b@example\.org\r\nitem1\.X-ABLABEL:Office\r\n/);
  assert.match(out, /\r\nTEL;VALUE=uri;TYPE=home:tel:\+1 555\r\n/);
  assert.match(out, /\r\nTEL;VALUE=uri;TYPE=cell:tel:\+2 666\r\n/);
});

test("BDAY: vCard 3 dates, Apple's X-APPLE-OMIT-YEAR and vCard 4 --MMDD read as a date or --MM-DD and are written in the card's version (RFC 6350 §6.2.5)", () => {
  const read = (version: string, line: string): string =>
    readContactForm(parseVcard(`BEGIN:VCARD\r\nVERSION:${version}\r\nFN:x\r\n${line}\r\nEND:VCARD\r\n`)).birthday;
  assert.equal(read('3.0', 'BDAY:1990-01-02'), '1990-01-02');
  assert.equal(read('3.0', 'BDAY;VALUE=date:19900102'), '1990-01-02');
  assert.equal(read('3.0', 'BDAY;X-APPLE-OMIT-YEAR=1604:1604-03-04'), '--03-04');
  assert.equal(read('3.0', 'BDAY:--0304'), '--03-04');
  assert.equal(read('4.0', 'BDAY:--0304'), '--03-04');
  assert.equal(read('4.0', 'BDAY:19900102'), '1990-01-02');
  assert.equal(read('4.0', 'BDAY;VALUE=text:circa 1800'), '');
  const write = (version: string, birthday: string): string =>
    writeVcard(
      applyContactForm(parseVcard(`BEGIN:VCARD\r\nVERSION:${version}\r\nFN:x\r\nEND:VCARD\r\n`), {
        ...readContactForm(parseVcard(`BEGIN:VCARD\r\nVERSION:${version}\r\nFN:x\r\nEND:VCARD\r\n`)),
        birthday,
      }),
    );
  assert.match(write('3.0', '--03-04'), /\r\nBDAY;X-APPLE-OMIT-YEAR=1604:1604-03-04\r\n/);
  assert.match(write('4.0', '--03-04'), /\r\nBDAY:--0304\r\n/);
  assert.match(write('3.0', '1990-01-02'), /\r\nBDAY:1990-01-02\r\n/);
  assert.match(write('4.0', '1990-01-02'), /\r\nBDAY:19900102\r\n/);
});

test("PHOTO: vCard 3 b-encoded and vCard 4 data: URIs read as a data: URL; a new photo is written in the card's version", () => {
  const v3 = parseVcard(`BEGIN:VCARD\r\nVERSION:3.0\r\nFN:x\r\nPHOTO;ENCODING=b;TYPE=JPEG:${B64}\r\nEND:VCARD\r\n`);
  assert.equal(readContactForm(v3).photo, `data:image/jpeg;base64,${B64}`);
  const v4 = parseVcard(`BEGIN:VCARD\r\nVERSION:4.0\r\nFN:x\r\nPHOTO:data:image/png;base64,${B64}\r\nEND:VCARD\r\n`);
  assert.equal(readContactForm(v4).photo, `data:image/png;base64,${B64}`);
  const png = `data:image/png;base64,${B64}`;
  assert.match(
    writeVcard(applyContactForm(v3, { ...readContactForm(v3), photo: png })).replace(/\r\n /g, ''),
    new RegExp(`\r\nPHOTO;ENCODING=b;TYPE=PNG:${B64.replace(/[+/]/g, '\\$&')}\r\n`),
  );
  assert.doesNotMatch(writeVcard(applyContactForm(v4, { ...readContactForm(v4), photo: '' })), /PHOTO/);
});

test('a new contact is vCard 3.0 with FN from the name, TYPEd TEL/EMAIL, CATEGORIES, a REV; its UID reads back', () => {
  const form: ContactForm = {
    ...readContactForm({ properties: [] }),
    given: 'Ada',
    family: 'Lovelace',
    phones: [{ type: 'cell', value: '+44 20' }],
    emails: [{ type: 'home', value: 'ada@example.org' }],
    groups: ['Pioneers', 'A, B'],
    note: 'x\ny',
  };
  const text = writeVcard(newContactCard(form, 'u-1', new Date(Date.UTC(2026, 0, 2, 3, 4, 5))));
  for (const l of [
    'VERSION:3.0',
    'UID:u-1',
    'FN:Ada Lovelace',
    'N:Lovelace;Ada;;;',
    'TEL;TYPE=CELL:+44 20',
    'EMAIL;TYPE=HOME,INTERNET:ada@example.org',
    'CATEGORIES:Pioneers,A\\, B',
    'NOTE:x\\ny',
    'REV:20260102T030405Z',
  ])
    assert.ok(text.includes(`\r\n${l}\r\n`), `${l} in\n${text}`);
  assert.equal(uidOf(text), 'u-1');
  assert.equal(displayName(readContactForm(parseVcard(text))), 'Ada Lovelace');
});
