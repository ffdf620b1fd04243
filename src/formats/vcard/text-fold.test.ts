import assert from 'node:assert/strict';
import { test } from 'node:test';
import { unicodeFold } from './text.js';

/** The fold as first written: code point by code point (the search index in the store holds its output). */
function reference(s: string): string {
  let out = '';
  for (const ch of s)
    out +=
      ch.charCodeAt(0) < 0x80 && ch.length === 1 ? ch.toLowerCase() : ch.normalize('NFKD').toUpperCase().toLowerCase();
  return out;
}

test('i;unicode-casemap (RFC 5051) fold: the two-pass version equals the per-code-point one on 20,000 random strings', () => {
  let seed = 7;
  const rnd = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const pool = [
    'A',
    'z',
    'Σ',
    'ς',
    'İ',
    'ß',
    'ẞ',
    'ﬁ',
    'Å',
    'Ω',
    '𝐀',
    '😀',
    '\uD800',
    'ǅ',
    'Ⅻ',
    '½',
    'ÿ',
    'Ÿ',
    'K',
    'ǰ',
    ' ',
    '-',
    '\u0301',
    'ｱ',
    'Ⓐ',
  ];
  for (let i = 0; i < 20_000; i++) {
    let s = '';
    const n = Math.floor(rnd() * 12);
    for (let k = 0; k < n; k++)
      s += rnd() < 0.5 ? pool[Math.floor(rnd() * pool.length)] : String.fromCodePoint(Math.floor(rnd() * 0x2fff));
    assert.equal(unicodeFold(s), reference(s), JSON.stringify(s));
  }
  assert.equal(unicodeFold('ΣΑΣ Zoë'), reference('ΣΑΣ Zoë'), 'no final-sigma context');
});
