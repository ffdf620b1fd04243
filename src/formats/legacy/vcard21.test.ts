/**
 * vCard 2.1 (versit) ⇄ vCard 3.0 (RFC 2426), as phones send them (digest §14): round trips keep
 * names, types and escaped text; quoted-printable with soft line breaks and CHARSET decodes;
 * input without structure does not throw.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { vcard21ToVcard30, vcard30ToVcard21 } from './vcard21.js';

const V30 = [
  'BEGIN:VCARD',
  'VERSION:3.0',
  'UID:u1',
  'FN:Jörg Müller',
  'N:Müller;Jörg;;;',
  'TEL;TYPE=CELL:+49 1',
  'NOTE:a\\, b\\; c\\nline2',
  'END:VCARD',
  '',
].join('\r\n');

describe('vCard 2.1 ⇄ 3.0', () => {
  it('3.0 → 2.1 → 3.0 is the identity for names, bare types and escaped text', () => {
    const v21 = vcard30ToVcard21(V30);
    assert.match(v21, /^VERSION:2\.1$/m);
    assert.match(v21, /^TEL;CELL:\+49 1$/m, 'bare type parameter in 2.1');
    assert.match(v21, /^FN;CHARSET=UTF-8:Jörg Müller$/m, 'non-ASCII text names its charset');
    assert.equal(vcard21ToVcard30(v21), V30);
  });

  it('2.1 quoted-printable with a soft line break and ISO-8859-1 decodes to 3.0 text', () => {
    const v21 = [
      'BEGIN:VCARD',
      'VERSION:2.1',
      'N;ENCODING=QUOTED-PRINTABLE;CHARSET=ISO-8859-1:M=FCller;J=',
      '=F6rg',
      'TEL;HOME;VOICE:123',
      'END:VCARD',
      '',
    ].join('\r\n');
    const v30 = vcard21ToVcard30(v21);
    assert.match(v30, /^N:Müller;Jörg$/m);
    assert.match(v30, /^VERSION:3\.0$/m);
    assert.match(v30, /^FN:/m, 'an FN is made up for 3.0, which requires one');
  });

  it('text without vCard structure does not throw', () => {
    assert.doesNotThrow(() => vcard21ToVcard30('garbage'));
    assert.doesNotThrow(() => vcard30ToVcard21(''));
  });
});
