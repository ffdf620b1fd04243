import assert from 'node:assert/strict';
import { test } from 'node:test';
import { convertVcard } from './convert.js';
import { fromJcard, toJcard } from './jcard.js';
import { parseVcard } from './parse.js';
import { negotiate, representCard, JCARD, VCARD3, VCARD4 } from './represent.js';
import { writeVcard } from './write.js';

const APPLE_GROUP = [
  'BEGIN:VCARD',
  'VERSION:3.0',
  'PRODID:-//Apple Inc.//macOS 14.0//EN',
  'N:Soccer;;;;',
  'FN:Soccer',
  'X-ADDRESSBOOKSERVER-KIND:group',
  'X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:A1',
  'X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:B2',
  'REV:2024-01-01T00:00:00Z',
  'UID:G1',
  'END:VCARD',
  '',
].join('\r\n');

const V3 = [
  'BEGIN:VCARD',
  'VERSION:3.0',
  'N:Doe;John;;;',
  'FN:John Doe',
  'EMAIL;TYPE=INTERNET,pref:j@x.com',
  'TEL;TYPE=CELL:+1 555',
  'PHOTO;ENCODING=b;TYPE=JPEG:AAAA',
  'BDAY;X-APPLE-OMIT-YEAR=1604:1604-03-04',
  'GEO:37.38;-122.08',
  'LABEL;TYPE=HOME:1 Main St',
  'MAILER:Pine',
  'X-CUSTOM;X-P=1:keep me',
  'UID:u1',
  'END:VCARD',
  '',
].join('\r\n');

function lines(card: ReturnType<typeof parseVcard>): string[] {
  return writeVcard(card).split('\r\n');
}

test('RFC 6350 Appendix A: 3.0 → 4.0 maps pref, photo, birthday without year, GEO and removed properties', () => {
  const v4 = lines(convertVcard(parseVcard(V3), '4.0'));
  assert.ok(v4.includes('VERSION:4.0'));
  assert.ok(v4.includes('EMAIL;TYPE=INTERNET;PREF=1:j@x.com'), v4.join('\n'));
  assert.ok(v4.includes('PHOTO:data:image/jpeg;base64,AAAA'));
  assert.ok(v4.includes('BDAY:--0304'));
  assert.ok(v4.includes('GEO:geo:37.38,-122.08'));
  assert.ok(v4.includes('X-LABEL;TYPE=HOME:1 Main St'));
  assert.ok(v4.includes('X-MAILER:Pine'));
  assert.ok(v4.includes('X-CUSTOM;X-P=1:keep me'));
});

test('no field dropped: 3.0 → 4.0 → 3.0 gives back every property and value', () => {
  const back = convertVcard(convertVcard(parseVcard(V3), '4.0'), '3.0');
  const orig = parseVcard(V3);
  assert.equal(back.properties.length, orig.properties.length);
  for (const p of orig.properties) {
    const q = back.properties.find((x) => x.name === p.name);
    assert.ok(q, `missing ${p.name}`);
    assert.equal(q.value, p.value, p.name);
  }
  assert.deepEqual(back.properties.find((x) => x.name === 'EMAIL')?.params, [
    { name: 'TYPE', values: ['INTERNET', 'pref'] },
  ]);
});

test('groups: Apple X-ADDRESSBOOKSERVER-KIND/MEMBER ⇄ vCard 4 KIND/MEMBER', () => {
  const v4 = lines(convertVcard(parseVcard(APPLE_GROUP), '4.0'));
  assert.ok(v4.includes('KIND:group'));
  assert.deepEqual(
    v4.filter((l) => l.startsWith('MEMBER:')),
    ['MEMBER:urn:uuid:A1', 'MEMBER:urn:uuid:B2'],
  );
  const davx5 = parseVcard(
    'BEGIN:VCARD\r\nVERSION:4.0\r\nKIND:group\r\nFN:Team\r\nMEMBER:urn:uuid:C3\r\nUID:G2\r\nEND:VCARD\r\n',
  );
  const v3 = lines(convertVcard(davx5, '3.0'));
  assert.ok(v3.includes('X-ADDRESSBOOKSERVER-KIND:group'));
  assert.ok(v3.includes('X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:C3'));
  assert.ok(v3.includes('N:;;;;'), 'N is required in 3.0');
});

test('4.0 → 3.0: data: URI photo becomes inline base64, tel: URI becomes text', () => {
  const c = parseVcard(
    'BEGIN:VCARD\r\nVERSION:4.0\r\nFN:A\r\nPHOTO:data:image/png;base64,iVBO\r\nTEL;VALUE=uri;TYPE=cell:tel:+1-555\r\nLOGO:https://x/l.png\r\nUID:a\r\nEND:VCARD\r\n',
  );
  const v3 = lines(convertVcard(c, '3.0'));
  assert.ok(v3.includes('PHOTO;ENCODING=b;TYPE=PNG:iVBO'), v3.join('\n'));
  assert.ok(v3.includes('TEL;TYPE=cell:+1-555'));
  assert.ok(v3.includes('LOGO;VALUE=uri:https://x/l.png'));
});

test('RFC 7095: jCard from vCard and back', () => {
  const v4 = convertVcard(parseVcard(V3), '4.0');
  const j = toJcard(v4);
  assert.equal(j[0], 'vcard');
  assert.deepEqual(
    j[1].find((p) => p[0] === 'n'),
    ['n', {}, 'text', ['Doe', 'John', '', '', '']],
  );
  assert.deepEqual(
    j[1].find((p) => p[0] === 'bday'),
    ['bday', {}, 'date-and-or-time', '--03-04'],
  );
  assert.deepEqual(
    j[1].find((p) => p[0] === 'x-custom'),
    ['x-custom', { 'x-p': '1' }, 'unknown', 'keep me'],
  );
  assert.deepEqual(fromJcard(JSON.stringify(j)), v4);
});

test('RFC 6352 §5.1.1: content negotiation and partial retrieval', () => {
  assert.deepEqual(negotiate(undefined), VCARD3);
  assert.deepEqual(negotiate('text/vcard; version=4.0'), VCARD4);
  assert.deepEqual(negotiate('text/vcard;q=0.5, application/vcard+json'), JCARD);
  assert.deepEqual(negotiate('text/vcard;version=3.0;q=0.8, text/vcard;version=4.0'), VCARD4);
  assert.equal(representCard(V3, 'text/vcard', VCARD3), V3, 'same version: returned as stored');
  const part = representCard(V3, 'text/vcard', VCARD3, [
    { name: 'VERSION', novalue: false },
    { name: 'FN', novalue: false },
    { name: 'TEL', novalue: true },
  ]);
  assert.equal(part, 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:John Doe\r\nTEL;TYPE=CELL:\r\nEND:VCARD\r\n');
  const json = JSON.parse(representCard(V3, 'text/vcard', JCARD)) as unknown[];
  assert.equal(json[0], 'vcard');
});
