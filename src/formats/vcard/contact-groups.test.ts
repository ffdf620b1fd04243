import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  bookGroupStyle,
  listGroups,
  memberUid,
  membersOf,
  newGroupCard,
  renamedGroupCard,
  withMembers,
  type GroupSource,
} from './contact-groups.js';
import { summariseText } from './contact-summary.js';
import { parseVcard } from './parse.js';
import { unicodeFold } from './text.js';
import { writeVcard } from './write.js';

const card = (lines: string[], version = '3.0'): string =>
  ['BEGIN:VCARD', `VERSION:${version}`, ...lines, 'END:VCARD', ''].join('\r\n');
const source = (text: string, ref = text): GroupSource<string> => {
  const s = summariseText(text);
  return { ref, uid: s.uid, name: s.name, categories: s.categories, groupStyle: s.groupStyle, members: s.members };
};

test('RFC 6350 §6.7.1 CATEGORIES groups: counted per name, escaped commas kept in the name', () => {
  const cards = [
    card(['UID:a', 'FN:A', 'CATEGORIES:Friends,R&D\\, Berlin']),
    card(['UID:b', 'FN:B', 'CATEGORIES:Friends']),
  ].map((t) => source(t));
  const groups = listGroups(cards);
  assert.deepEqual(
    groups.map((g) => [g.name, [...g.members]]),
    [
      ['Friends', ['a', 'b']],
      ['R&D, Berlin', ['a']],
    ],
  );
  assert.equal(bookGroupStyle(cards), 'categories');
});

test('RFC 6350 §6.1.4/§6.6.5 KIND:group with MEMBER urn:uuid: members that exist are counted; the group card is no contact', () => {
  const cards = [
    card(['UID:urn:uuid:1', 'FN:One'], '4.0'),
    card(['UID:2', 'FN:Two'], '4.0'),
    card(
      ['UID:g', 'KIND:group', 'FN:Team', 'MEMBER:urn:uuid:1', 'MEMBER:urn:uuid:2', 'MEMBER:urn:uuid:missing'],
      '4.0',
    ),
  ].map((t) => source(t));
  const [team] = listGroups(cards);
  assert.equal(team?.name, 'Team');
  assert.deepEqual([...team!.members].sort(), ['1', '2']);
  assert.equal(team?.cards.length, 1);
  assert.equal(bookGroupStyle(cards), 'kind');
});

test("Apple's vCard 3 group cards (X-ADDRESSBOOKSERVER-KIND/-MEMBER): read, members set minimal-change, renamed", () => {
  const text = card([
    'UID:ag',
    'N:Choir',
    'FN:Choir',
    'X-ADDRESSBOOKSERVER-KIND:group',
    'X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:A',
    'X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:B',
  ]);
  assert.equal(bookGroupStyle([source(text)]), 'apple');
  const g = parseVcard(text);
  assert.deepEqual(membersOf(g), ['A', 'B']);
  assert.equal(withMembers(g, ['B', 'A']), g, 'the same members: the same card');
  const out = writeVcard(renamedGroupCard(withMembers(g, ['B', 'C']), 'Choir; Berlin'));
  assert.equal(
    out,
    card([
      'UID:ag',
      'N:Choir\\; Berlin',
      'FN:Choir\\; Berlin',
      'X-ADDRESSBOOKSERVER-KIND:group',
      'X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:B',
      'X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:C',
    ]),
  );
});

test('new group cards: vCard 4 KIND:group with a urn:uuid UID, or Apple vCard 3; MEMBER URIs from UIDs', () => {
  assert.equal(
    writeVcard(withMembers(newGroupCard('Ops', 'x-1', 'kind'), ['u1', 'urn:uuid:u2'])),
    card(
      [
        'PRODID:-//Almanac//Web//EN',
        'UID:urn:uuid:x-1',
        'KIND:group',
        'FN:Ops',
        'MEMBER:urn:uuid:u1',
        'MEMBER:urn:uuid:u2',
      ],
      '4.0',
    ),
  );
  assert.match(writeVcard(newGroupCard('Ops', 'x-1', 'apple')), /\r\nX-ADDRESSBOOKSERVER-KIND:group\r\n/);
  assert.equal(memberUid('urn:uuid:abc'), 'abc');
});

test('contact summary: name from FN, else N, ORG or email; unreadable text is listed, not thrown', () => {
  assert.equal(summariseText(card(['UID:1', 'FN:Head of R&D\\; Berlin'])).name, 'Head of R&D; Berlin');
  assert.equal(summariseText(card(['UID:1', 'FN:', 'N:Lovelace;Ada;;;'])).name, 'Ada Lovelace');
  assert.equal(summariseText(card(['UID:1', 'FN:', 'EMAIL:a@example.org'])).line, 'a@example.org');
  assert.equal(summariseText(card(['UID:1', 'FN:x', 'TEL;VALUE=uri:tel:+1-555'], '4.0')).line, '+1-555');
  assert.equal(summariseText('garbage').name, '(unreadable card)');
  const hay = summariseText(card(['UID:1', 'FN:Zoë Ñandú', 'CATEGORIES:Friends'])).haystack;
  assert.ok(
    hay.includes(unicodeFold('ZOË')) && hay.includes('zoe') && hay.includes('friends'),
    'i;unicode-casemap (RFC 6352 §8.3): case folded, decomposed',
  );
});
