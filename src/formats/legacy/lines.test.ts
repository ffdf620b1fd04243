/**
 * Content lines of vCard 2.1 / vCalendar 1.0 (vCard 2.1 §2.1.3, RFC 2045 §6.7, RFC 2425 §5.8.1):
 * unfolding with quoted-printable soft breaks, QP both ways, CHARSET decoding.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  decodeCharset,
  decodeQuotedPrintable,
  encodeQuotedPrintable,
  parseLines,
  typesOf,
  unfoldLines,
} from './lines.js';

const latin = (...bytes: number[]): Uint8Array => Uint8Array.from(bytes);

describe('legacy content lines', () => {
  it('unfolds CRLF, LF and lone CR lines, and folded lines starting with a space or a tab', () => {
    assert.deepEqual(unfoldLines('A:1\r\nB:2\nC:3\rD:4\r\n x\r\n\ty'), ['A:1', 'B:2', 'C:3', 'D:4xy']);
  });

  it('a QP soft break joins the next line as is, also twice in a row and inside a UTF-8 sequence', () => {
    assert.deepEqual(unfoldLines('NOTE;ENCODING=QUOTED-PRINTABLE:a=\r\n=\r\nb\r\nX:1'), [
      'NOTE;ENCODING=QUOTED-PRINTABLE:ab',
      'X:1',
    ]);
    const [line] = parseLines('N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:M=C3=\r\n=BCller\r\n');
    assert.equal(new TextDecoder().decode(decodeQuotedPrintable(line?.value ?? '')), 'Müller');
  });

  it('a bare QUOTED-PRINTABLE parameter opens a soft break too; a plain value ending in = does not', () => {
    assert.deepEqual(unfoldLines('NOTE;QUOTED-PRINTABLE:a=\r\nb\r\nX:1'), ['NOTE;QUOTED-PRINTABLE:ab', 'X:1']);
    assert.deepEqual(unfoldLines('NOTE:1+1=\r\nX:2'), ['NOTE:1+1=', 'X:2']);
    assert.deepEqual(
      unfoldLines('X-A;X-P="a:b=":c=\r\nY:1'),
      ['X-A;X-P="a:b=":c=', 'Y:1'],
      'an = inside a quoted parameter is no soft break',
    );
  });

  it('parses groups, bare 2.1 types and quoted parameter values; the colon inside quotes does not end the name', () => {
    const [l] = parseLines('item1.TEL;CELL;TYPE="work,voice";X-LABEL="a:b":+49 1');
    assert.equal(l?.group, 'item1');
    assert.equal(l?.name, 'TEL');
    assert.equal(l?.value, '+49 1');
    assert.deepEqual(l ? typesOf(l) : [], ['CELL', 'WORK', 'VOICE']);
  });

  it('QP decoding: upper and lower case hex, a literal = that is no escape, a trailing soft break', () => {
    assert.deepEqual([...decodeQuotedPrintable('a=3d=3Db=')], [0x61, 0x3d, 0x3d, 0x62]);
    assert.deepEqual([...decodeQuotedPrintable('x=zz')], [0x78, 0x3d, 0x7a, 0x7a]);
  });

  it('QP encoding escapes =, tabs, CR LF, non-ASCII bytes and a trailing space, and decodes back', () => {
    const text = 'a=b\tc\r\nüß end ';
    const qp = encodeQuotedPrintable(text);
    assert.equal(qp, 'a=3Db=09c=0D=0A=C3=BC=C3=9F end=20');
    assert.equal(new TextDecoder().decode(decodeQuotedPrintable(qp)), text);
  });

  it('CHARSET: UTF-8 by default, ISO-8859-1, an unknown label falls back to UTF-8', () => {
    assert.equal(decodeCharset(latin(0xc3, 0xa9), undefined), 'é');
    assert.equal(decodeCharset(latin(0xe9, 0x74, 0xe9), 'ISO-8859-1'), 'été');
    assert.equal(decodeCharset(latin(0xc3, 0xa9), 'X-NO-SUCH-CHARSET'), 'é');
  });

  it('CHARSET=WINDOWS-1252 (and ISO-8859-1, which means it on the web): 0x80–0x9F are €, quotes and dashes', () => {
    // WHATWG Encoding §9.1 index windows-1252; Node's decoder gave C1 control characters there.
    assert.equal(decodeCharset(latin(0x80, 0x20, 0x35), 'WINDOWS-1252'), '€ 5');
    assert.equal(decodeCharset(latin(0x93, 0x71, 0x94, 0x20, 0x96, 0x20, 0x99, 0x8a, 0x9e), 'ISO-8859-1'), '“q” – ™Šž');
    assert.equal(
      decodeCharset(latin(0x81, 0x8d), 'windows-1252'),
      '\u0081\u008d',
      'the five unassigned bytes stay as they are',
    );
  });
});
