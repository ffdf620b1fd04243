/**
 * WBXML header and string data (WAP-192-WBXML §5.4–5.8): the string table (STR_T references,
 * also into the middle of a string, and a public identifier given by the table), inline strings
 * in the declared charset, opaque data with every byte value, and the refusals at the edges.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeWbxml, encodeWbxml, WbxmlError } from './codec.js';
import { NS_SYNCML_12, SYNCML_12 } from './tables.js';
import { el } from './tree.js';

const enc = new TextEncoder();
const cstr = (s: string): number[] => [...enc.encode(s), 0x00];
// Written out here, not taken from the codec: SyncML 1.2 tags with content (0x40 | SyncML 0x2D,
// SyncHdr 0x2C, VerDTD 0x31, SessionID 0x25) and the global tokens (WAP-192 §7.1).
const T = {
  SYNCML: 0x6d,
  SYNCHDR: 0x6c,
  VERDTD: 0x71,
  SESSIONID: 0x65,
  END: 0x01,
  STR_I: 0x03,
  STR_T: 0x83,
  OPAQUE: 0xc3,
} as const;

/** A SyncML 1.2 document: header with `charset` and `table`, body SyncML/SyncHdr/… `content`. */
function doc(charset: number, table: number[], content: number[], publicId: number[] = [0xa4, 0x01]): Uint8Array {
  return Uint8Array.from([
    0x03,
    ...publicId,
    charset,
    table.length,
    ...table,
    T.SYNCML,
    T.SYNCHDR,
    ...content,
    T.END,
    T.END,
  ]);
}

const hdr = (bytes: Uint8Array) => {
  const root = decodeWbxml(bytes).root;
  const h = root.children[0];
  assert.ok(h && typeof h === 'object' && 'name' in h);
  return h.children;
};

describe('WBXML string table and string data', () => {
  it('STR_T takes the string at an offset of the table, also one inside another string (§5.7, §5.8.4.3)', () => {
    const table = cstr('SyncML/1.2');
    const kids = hdr(doc(0x6a, table, [T.VERDTD, T.STR_T, 7, T.END, T.SESSIONID, T.STR_T, 0, T.END]));
    assert.deepEqual(kids, [el(NS_SYNCML_12, 'VerDTD', '1.2'), el(NS_SYNCML_12, 'SessionID', 'SyncML/1.2')]);
  });

  it('inline and table strings next to each other join into one text', () => {
    const kids = hdr(doc(0x6a, cstr('2'), [T.VERDTD, T.STR_I, ...cstr('1.'), T.STR_T, 0, T.END]));
    assert.deepEqual(kids, [el(NS_SYNCML_12, 'VerDTD', '1.2')]);
  });

  it('a public identifier given by the string table selects the language (§5.5)', () => {
    const table = cstr('-//SYNCML//DTD SyncML 1.2//EN');
    const d = decodeWbxml(doc(0x6a, table, [T.VERDTD, T.STR_I, ...cstr('1.2'), T.END], [0x00, 0x00]));
    assert.equal(d.language, SYNCML_12);
  });

  it('a string-table offset past the table is refused', () => {
    assert.throws(() => decodeWbxml(doc(0x6a, cstr('ab'), [T.VERDTD, T.STR_T, 3, T.END])), WbxmlError);
    assert.throws(() => decodeWbxml(doc(0x6a, [], [T.VERDTD, T.STR_T, 0, T.END])), WbxmlError);
  });

  it('UTF-8 inline strings keep every character; the declared charset is reported', () => {
    const d = decodeWbxml(doc(0x6a, [], [T.SESSIONID, T.STR_I, ...cstr('Jörg 😀'), T.END]));
    assert.equal(d.charset, 106);
    assert.deepEqual((d.root.children[0] as { children: unknown[] }).children, [
      el(NS_SYNCML_12, 'SessionID', 'Jörg 😀'),
    ]);
  });

  it('a document declaring ISO-8859-1 (MIBenum 4) has its strings read as ISO-8859-1 (§5.6)', () => {
    const d = decodeWbxml(doc(4, [0xe9, 0x00], [T.SESSIONID, T.STR_I, 0xe9, 0x74, 0xe9, 0x00, T.STR_T, 0, T.END]));
    assert.deepEqual((d.root.children[0] as { children: unknown[] }).children, [el(NS_SYNCML_12, 'SessionID', 'étéé')]);
  });

  it('an unsupported charset (Shift_JIS, MIBenum 17) is refused rather than misread', () => {
    assert.throws(() => decodeWbxml(doc(17, [], [T.SESSIONID, T.STR_I, ...cstr('x'), T.END])), WbxmlError);
  });

  it('opaque data keeps every byte value, NUL included, and round-trips through the encoder', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    const kids = hdr(doc(0x6a, [], [T.SESSIONID, T.OPAQUE, 0x82, 0x00, ...all, T.END]));
    assert.deepEqual(kids, [el(NS_SYNCML_12, 'SessionID', all)]);
    const tree = el(NS_SYNCML_12, 'SyncML', el(NS_SYNCML_12, 'SyncHdr', el(NS_SYNCML_12, 'SessionID', all)));
    assert.deepEqual(decodeWbxml(encodeWbxml(tree, SYNCML_12)).root, tree);
  });

  it('an opaque length past the end of the document is refused', () => {
    assert.throws(() => decodeWbxml(doc(0x6a, [], [T.SESSIONID, T.OPAQUE, 0x10, 0x01, 0x02])), WbxmlError);
  });

  it('strings the encoder writes come back the same: empty, NUL-free Unicode, long', () => {
    for (const s of ['', 'ß-1 €', 'x'.repeat(70_000)]) {
      const tree = el(NS_SYNCML_12, 'SyncML', el(NS_SYNCML_12, 'SyncHdr', el(NS_SYNCML_12, 'SessionID', s)));
      assert.deepEqual(decodeWbxml(encodeWbxml(tree, SYNCML_12)).root, tree, `${s.length} characters`);
    }
  });
});
