import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cardDates, displayNameOf } from './anniversaries.js';
import { parseVcard } from './parse.js';

const card = (...lines: string[]) =>
  parseVcard(['BEGIN:VCARD', 'VERSION:4.0', 'UID:u', ...lines, 'END:VCARD', ''].join('\r\n'));

describe('formats/vcard/anniversaries: BDAY and ANNIVERSARY dates (RFC 6350 §6.2.5, §6.2.6; RFC 2426 §3.1.5)', () => {
  it('reads vCard 4 basic, vCard 3 extended, year-less and date-time forms', () => {
    assert.deepEqual(cardDates(card('BDAY:18151210')), [{ kind: 'birthday', year: 1815, month: 12, day: 10 }]);
    assert.deepEqual(cardDates(card('BDAY:1815-12-10')), [{ kind: 'birthday', year: 1815, month: 12, day: 10 }]);
    assert.deepEqual(cardDates(card('BDAY:--0415')), [{ kind: 'birthday', year: null, month: 4, day: 15 }]);
    assert.deepEqual(cardDates(card('BDAY:--04-15')), [{ kind: 'birthday', year: null, month: 4, day: 15 }]);
    assert.deepEqual(cardDates(card('BDAY:1953-10-15T23:10:00Z')), [
      { kind: 'birthday', year: 1953, month: 10, day: 15 },
    ]);
    assert.deepEqual(cardDates(card('BDAY;X-APPLE-OMIT-YEAR=1604:1604-03-15')), [
      { kind: 'birthday', year: null, month: 3, day: 15 },
    ]);
  });
  it('reads ANNIVERSARY and X-ANNIVERSARY, one of each kind', () => {
    assert.deepEqual(cardDates(card('BDAY:19800101', 'ANNIVERSARY:20100612', 'X-ANNIVERSARY:2011-01-01')), [
      { kind: 'birthday', year: 1980, month: 1, day: 1 },
      { kind: 'anniversary', year: 2010, month: 6, day: 12 },
    ]);
    assert.deepEqual(cardDates(card('X-ANNIVERSARY:2011-01-02')), [
      { kind: 'anniversary', year: 2011, month: 1, day: 2 },
    ]);
  });
  it('ignores text values, partial dates and impossible days', () => {
    assert.deepEqual(cardDates(card('BDAY;VALUE=text:circa 1800')), []);
    assert.deepEqual(cardDates(card('BDAY:1996')), []);
    assert.deepEqual(cardDates(card('BDAY:19960231')), []);
    assert.deepEqual(cardDates(card('BDAY:19970229')), []);
    assert.deepEqual(cardDates(card('BDAY:--0229')), [{ kind: 'birthday', year: null, month: 2, day: 29 }]);
  });
  it('names the contact by FN, else N, else ORG', () => {
    assert.equal(displayNameOf(card('FN:Ada Lovelace')), 'Ada Lovelace');
    assert.equal(displayNameOf(card('N:Lovelace;Ada;;;')), 'Ada Lovelace');
    assert.equal(displayNameOf(card('ORG:R&D\\; Berlin;Lab')), 'R&D; Berlin');
  });
});
