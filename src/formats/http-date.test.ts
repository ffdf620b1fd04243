import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { httpDate } from './http-date.js';

describe('httpDate (RFC 9110 §5.6.7 IMF-fixdate)', () => {
  it('writes what Date.prototype.toUTCString writes, across leap years, centuries and day ends', () => {
    const edges = [
      0,
      999,
      1000,
      86_399_999,
      86_400_000,
      951_782_400_000,
      951_868_799_999,
      4_107_456_000_000,
      4_107_542_399_000,
      253_402_300_799_999,
      253_402_300_800_000,
      -1,
      -86_400_001,
      8.64e15,
      Number.NaN,
    ];
    let seed = 11;
    const random = (): number => {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0; // a 32-bit LCG
      return seed / 4294967296;
    };
    const samples = Array.from({ length: 200_000 }, () => Math.floor(random() * random() * 253_402_300_800_000));
    for (const ms of [...edges, ...samples]) assert.equal(httpDate(ms), new Date(ms).toUTCString(), String(ms));
    assert.equal(httpDate(784_111_777_000), 'Sun, 06 Nov 1994 08:49:37 GMT'); // RFC 9110's own example
  });
});
