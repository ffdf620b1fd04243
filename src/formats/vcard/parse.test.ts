import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  MAX_PARAMETERS_PER_PROPERTY,
  MAX_PROPERTIES_PER_CARD,
  parseVcard,
  parseVcards,
  VcardSyntaxError,
} from './parse.js';
import { splitVcards } from './split.js';
import { writeVcard } from './write.js';
import { textMatches, unicodeFold } from './text.js';
import { searchEntries } from './search-index.js';
import { validateAddressData, AddressDataError } from './validate.js';

const CARD = [
  'BEGIN:VCARD',
  'VERSION:3.0',
  'N:Daboo;Cyrus;;;',
  'FN:Cyrus Daboo',
  'item1.EMAIL;TYPE=INTERNET,pref:cyrus@example.com',
  'item1.X-ABLabel:_$!<Other>!$_',
  'TEL;TYPE="WORK,VOICE":412 605 0499',
  'NOTE:a\\, b\\; c\\nd',
  'X-PARAM;X-Q="a:b;c":v',
  'PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAAMCAgMCAgMDAwMEAwMEBQgFBQQEBQoHBwYIDAoMDAsKCwsNDhIQDQ4RDgsLEBYQERMUFRUVDA8XGBYUGBIUFRT',
  'UID:1234',
  'END:VCARD',
  '',
].join('\r\n');

test('RFC 6350 §3.3: content lines keep group, decoded params and the raw value', () => {
  const c = parseVcard(CARD);
  const email = c.properties.find((p) => p.name === 'EMAIL');
  assert.equal(email?.group, 'item1');
  assert.deepEqual(email?.params, [{ name: 'TYPE', values: ['INTERNET', 'pref'] }]);
  assert.deepEqual(c.properties.find((p) => p.name === 'TEL')?.params, [{ name: 'TYPE', values: ['WORK,VOICE'] }]);
  assert.equal(c.properties.find((p) => p.name === 'NOTE')?.value, 'a\\, b\\; c\\nd');
  assert.deepEqual(c.properties.find((p) => p.name === 'X-PARAM')?.params, [{ name: 'X-Q', values: ['a:b;c'] }]);
});

test('RFC 6350 §3.2: folded lines unfold, long lines fold at 75 octets and round-trip', () => {
  const c = parseVcard(CARD);
  const out = writeVcard(c);
  for (const l of out.split('\r\n')) assert.ok(new TextEncoder().encode(l).length <= 75, l);
  assert.deepEqual(parseVcard(out), c);
  const folded = 'BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Jo\r\n hn\r\nUID:x\r\nEND:VCARD\r\n';
  assert.equal(parseVcard(folded).properties[1]?.value, 'John');
});

test('RFC 6868: caret-encoded parameter values', () => {
  const c = parseVcard(
    'BEGIN:VCARD\r\nVERSION:4.0\r\nADR;LABEL="1 Main^nTown ^\'X^\'":;;1 Main;Town;;;\r\nEND:VCARD\r\n',
  );
  assert.deepEqual(c.properties[1]?.params[0]?.values, ['1 Main\nTown "X"']);
  assert.match(writeVcard(c), /LABEL=1 Main\^nTown \^'X\^':/);
});

test('malformed data is refused with the line', () => {
  assert.throws(() => parseVcard('BEGIN:VCARD\r\nVERSION:3.0\r\nBROKEN\r\nEND:VCARD\r\n'), VcardSyntaxError);
  assert.throws(() => parseVcard('BEGIN:VCARD\r\nVERSION:3.0\r\n'), /END:VCARD/);
  assert.throws(() => parseVcard(`${CARD}${CARD}`), /expected one vCard/);
  assert.equal(parseVcards(`${CARD}${CARD}`).cards.length, 2);
});

test('splitVcards: cards kept verbatim, bad ones skipped with index and reason', () => {
  const bad = 'BEGIN:VCARD\r\nVERSION:3.0\r\nno colon here\r\nEND:VCARD\r\n';
  const { cards, skipped } = splitVcards(`${CARD}${bad}${CARD.replace(/\r\n/g, '\n')}BEGIN:VCARD\nFN:x\n`);
  assert.equal(cards.length, 2);
  assert.equal(cards[0], CARD);
  assert.deepEqual(
    skipped.map((s) => s.index),
    [1, 3],
  );
  assert.match(skipped[0]?.reason ?? '', /line 15/);
});

test('RFC 6352 §8.3 collations: unicode-casemap, ascii-casemap, octet', () => {
  assert.ok(textMatches('Cyrus Daboo', 'DABOO', 'contains', 'i;unicode-casemap'));
  assert.ok(textMatches('Ÿvonne Ärger', 'äR', 'contains', 'i;unicode-casemap'));
  assert.ok(!textMatches('Ärger', 'äR', 'starts-with', 'i;ascii-casemap'));
  assert.ok(textMatches('Ärger', 'Är', 'starts-with', 'i;ascii-casemap'));
  assert.ok(!textMatches('Daboo', 'daboo', 'equals', 'i;octet'));
  assert.ok(textMatches('Daboo', 'boo', 'ends-with', 'i;octet'));
  // The fold is applied per code point, so substrings stay substrings (index prefilter safety).
  assert.ok(unicodeFold('ΟΔΟΣ ΑΒ').includes(unicodeFold('ΟΣ')));
});

test('search index entries are the folded, unescaped values of the indexed properties', () => {
  const e = searchEntries(parseVcard(CARD));
  assert.deepEqual(
    e.find((x) => x.prop === 'FN'),
    { prop: 'FN', value: 'cyrus daboo' },
  );
  assert.ok(e.some((x) => x.prop === 'EMAIL' && x.value === 'cyrus@example.com'));
  assert.ok(!e.some((x) => x.prop === 'NOTE' || x.prop === 'PHOTO'));
});

test('RFC 6352 §5.1 / §6.3.2.1: validation', () => {
  const enc = (s: string) => new TextEncoder().encode(s);
  assert.equal(validateAddressData(enc(CARD), 'text/vcard').uid, '1234');
  assert.throws(() => validateAddressData(enc(CARD.replace('UID:1234\r\n', '')), 'text/vcard'), /UID/);
  assert.throws(() => validateAddressData(enc(CARD.replace('FN:Cyrus Daboo\r\n', '')), 'text/vcard'), /FN/);
  assert.throws(
    () => validateAddressData(enc(CARD), 'text/calendar'),
    (e: unknown) => e instanceof AddressDataError && e.kind === 'unsupported',
  );
  assert.throws(
    () => validateAddressData(enc(CARD.replace('VERSION:3.0', 'VERSION:2.1')), 'text/vcard'),
    (e: unknown) => e instanceof AddressDataError && e.kind === 'unsupported',
  );
  assert.throws(() => validateAddressData(new Uint8Array([0xff, 0xfe]), 'text/vcard'), /UTF-8/);
});

test('RFC 6350 §3.3 content lines: parameters are bounded and parsing is linear in the line (hardening)', () => {
  const card = (line: string) => `BEGIN:VCARD\r\nVERSION:3.0\r\nUID:p\r\nFN:P\r\n${line}\r\nEND:VCARD\r\n`;
  // 40,000 parameters once took seconds to minutes (a slice per parameter, a copy per repeated name).
  for (const flood of [
    `EMAIL${';TYPE=x'.repeat(40_000)}:p@example.org`,
    `EMAIL${';X-P=v'.repeat(40_000)}:p@example.org`,
    `EMAIL;TYPE=${'a,'.repeat(40_000)}b:p@example.org`,
  ]) {
    const t0 = performance.now();
    assert.throws(
      () => parseVcard(card(flood)),
      (e: unknown) => e instanceof VcardSyntaxError && /more than \d+ parameter/.test(e.message),
    );
    assert.ok(performance.now() - t0 < 500, `refused in ${Math.round(performance.now() - t0)} ms`);
  }
  // Up to the limits everything is kept, repeated names merged in first-seen order.
  const ok = parseVcard(card(`EMAIL${';TYPE=work'.repeat(MAX_PARAMETERS_PER_PROPERTY - 1)};X-A=1:p@example.org`));
  const email = ok.properties.find((p) => p.name === 'EMAIL');
  assert.deepEqual(
    email?.params.map((p) => [p.name, p.values.length]),
    [
      ['TYPE', MAX_PARAMETERS_PER_PROPERTY - 1],
      ['X-A', 1],
    ],
  );
  // A long value with few parameters is fine and fast.
  const t0 = performance.now();
  assert.equal(parseVcard(card(`NOTE;LANGUAGE=en:${'x'.repeat(2_000_000)}`)).properties.length, 4);
  assert.ok(performance.now() - t0 < 500);
});

test('a card with more properties than MAX_PROPERTIES_PER_CARD is refused (hardening)', () => {
  const lines = Array.from({ length: MAX_PROPERTIES_PER_CARD + 1 }, (_, i) => `X-M:${i}`).join('\r\n');
  assert.throws(
    () => parseVcard(`BEGIN:VCARD\r\nVERSION:3.0\r\nUID:p\r\nFN:P\r\n${lines}\r\nEND:VCARD\r\n`),
    /more than \d+ properties/,
  );
});
