import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { utf8Of } from './utf8-pieces.js';

describe('utf8Of: the UTF-8 bytes of produced pieces', () => {
  it('equals encoding the joined text, for ASCII, multi-byte and astral characters', () => {
    const pieces = ['<D:href>/a/', 'Zoë – 日本', '😀 end', ''];
    assert.deepEqual(utf8Of(pieces), Buffer.from(pieces.join(''), 'utf8'));
    assert.deepEqual(utf8Of(['only']), Buffer.from('only'));
    assert.deepEqual(utf8Of([]), Buffer.alloc(0));
  });

  it('encodes a surrogate pair split between two pieces as one character', () => {
    const emoji = '😀';
    const pieces = [`a${emoji[0]}`, `${emoji[1]}b`];
    assert.equal(utf8Of(pieces).toString('utf8'), `a${emoji}b`);
  });

  it('writes every byte of its buffer: lone surrogates, empty pieces and large pieces as the joined text', () => {
    const big = 'x'.repeat(70_000) + 'é';
    const cases = [
      ['a\udc00b', '', 'c\ud800d', 'é'],
      [big, '日本', big, ''],
      ['', '', ''],
      ['\udc00', '\ud800x'],
    ];
    for (const pieces of cases) assert.deepEqual(utf8Of(pieces), Buffer.from(pieces.join(''), 'utf8'));
  });
});
