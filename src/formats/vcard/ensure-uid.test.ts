import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ensureUid, generatedUidsNote } from './ensure-uid.js';
import { validateAddressData } from './validate.js';

const card = (version: string, extra: string[] = []): string =>
  ['BEGIN:VCARD', `VERSION:${version}`, 'FN:Ada Lovelace', 'N:Lovelace;Ada;;;', ...extra, 'END:VCARD', ''].join('\r\n');

describe('formats/vcard ensureUid (import of cards without UID)', () => {
  it('keeps a card that has a UID as it is', () => {
    const text = card('3.0', ['UID:ada-1']);
    assert.deepEqual(
      ensureUid(text, () => 'x'),
      { card: text, uid: 'ada-1', generated: false },
    );
  });

  it('RFC 2426 §3.6.7: a vCard 3.0 without UID gets a text UID before END:VCARD, every other line kept', () => {
    const r = ensureUid(card('3.0'), () => '0b7e5f2a-1111-4222-8333-444455556666');
    assert.equal(r.generated, true);
    assert.equal(r.uid, '0b7e5f2a-1111-4222-8333-444455556666');
    assert.equal(r.card, card('3.0', ['UID:0b7e5f2a-1111-4222-8333-444455556666']));
    assert.doesNotThrow(() => validateAddressData(new TextEncoder().encode(r.card), 'text/vcard'));
  });

  it('RFC 6350 §6.7.6: a vCard 4.0 without UID gets a urn:uuid: URI', () => {
    const r = ensureUid(card('4.0'), () => '0b7e5f2a-1111-4222-8333-444455556666');
    assert.equal(r.uid, 'urn:uuid:0b7e5f2a-1111-4222-8333-444455556666');
    assert.equal(r.card, card('4.0', ['UID:urn:uuid:0b7e5f2a-1111-4222-8333-444455556666']));
    assert.doesNotThrow(() => validateAddressData(new TextEncoder().encode(r.card), 'text/vcard'));
  });

  it('an empty UID counts as none; LF-only files keep LF; the default ids differ', () => {
    const empty = ensureUid(card('3.0', ['UID:']), () => 'u0');
    assert.equal(empty.card, card('3.0', ['UID:u0']), 'the empty UID line is replaced');
    const lf = card('3.0').replace(/\r\n/g, '\n');
    assert.match(ensureUid(lf, () => 'u1').card, /\nUID:u1\nEND:VCARD\n$/);
    assert.notEqual(ensureUid(card('3.0')).uid, ensureUid(card('3.0')).uid);
  });

  it('says how many were generated, in the same words everywhere', () => {
    assert.equal(generatedUidsNote(0), '');
    assert.equal(generatedUidsNote(1), '1 contact had no UID; one was generated.');
    assert.equal(generatedUidsNote(2), '2 contacts had no UID; one was generated for each.');
  });
});
