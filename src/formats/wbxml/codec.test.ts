/**
 * WBXML codec (WAP-192-WBXML §5; digest §13): element trees round-trip through every SyncML and
 * DevInf language, with code-page switches, inline strings and opaque data; mb_u_int32 at its
 * boundaries; malformed documents refused with WbxmlError.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeWbxml, encodeMbUint32, encodeWbxml, WbxmlError } from './codec.js';
import { DocumentLimitError } from './limits.js';
import { DEVINF_12, NS_DEVINF, NS_METINF, NS_SYNCML_11, NS_SYNCML_12, SYNCML_11, SYNCML_12 } from './tables.js';
import { el, type Element } from './tree.js';

function message(ns: string): Element {
  return el(
    ns,
    'SyncML',
    el(ns, 'SyncHdr', el(ns, 'VerDTD', '1.2'), el(ns, 'SessionID', 'ß-1')),
    el(
      ns,
      'SyncBody',
      el(
        ns,
        'Add',
        el(ns, 'CmdID', '1'),
        el(ns, 'Meta', el(NS_METINF, 'Type', 'text/vcard'), el(NS_METINF, 'Size', '5')),
        el(ns, 'Item', el(ns, 'Data', Uint8Array.from([0, 1, 2, 0xff, 0x80]))),
      ),
      el(ns, 'Final'),
    ),
  );
}

describe('WBXML codec', () => {
  it('SyncML 1.2 and 1.1 trees with MetInf code-page switches and opaque data round-trip', () => {
    for (const [ns, lang] of [
      [NS_SYNCML_12, SYNCML_12],
      [NS_SYNCML_11, SYNCML_11],
    ] as const) {
      const tree = message(ns);
      const doc = decodeWbxml(encodeWbxml(tree, lang));
      assert.equal(doc.language, lang);
      assert.deepEqual(doc.root, tree);
    }
  });

  it('a DevInf 1.2 document round-trips', () => {
    const tree = el(
      NS_DEVINF,
      'DevInf',
      el(NS_DEVINF, 'VerDTD', '1.2'),
      el(NS_DEVINF, 'DataStore', el(NS_DEVINF, 'SourceRef', './contacts')),
    );
    assert.deepEqual(decodeWbxml(encodeWbxml(tree, DEVINF_12)).root, tree);
  });

  it('mb_u_int32 (WBXML §5.1): 7 bits a byte, high bit = more, at the boundaries', () => {
    const cases: [number, number[]][] = [
      [0, [0x00]],
      [0x7f, [0x7f]],
      [0x80, [0x81, 0x00]],
      [0x3fff, [0xff, 0x7f]],
      [0x4000, [0x81, 0x80, 0x00]],
      [0xffffffff, [0x8f, 0xff, 0xff, 0xff, 0x7f]],
    ];
    for (const [n, bytes] of cases) assert.deepEqual([...encodeMbUint32(n)], bytes, String(n));
  });

  it('malformed documents: empty, truncated, an over-long mb_u_int32, an unknown tag → WbxmlError', () => {
    const bad: Uint8Array[] = [
      new Uint8Array(0),
      Uint8Array.from([0x02]),
      Uint8Array.from([0x02, 0xa4, 0x01, 0x6a, 0x00, 0x6d]),
      Uint8Array.from([0x02, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]),
      Uint8Array.from([0x02, 0xa4, 0x01, 0x6a, 0x00, 0x03]),
    ];
    for (const b of bad) assert.throws(() => decodeWbxml(b), WbxmlError, [...b].map((x) => x.toString(16)).join(' '));
  });

  it('random bytes after a valid header never crash the decoder: WbxmlError or a limit', () => {
    let seed = 14;
    const rand = (): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) % 256;
    for (let i = 0; i < 500; i++) {
      const body = Uint8Array.from([0x02, 0xa4, 0x01, 0x6a, 0x00, ...Array.from({ length: 1 + (i % 60) }, rand)]);
      try {
        decodeWbxml(body);
      } catch (err) {
        assert.ok(err instanceof WbxmlError || err instanceof DocumentLimitError, String(err));
      }
    }
  });
});
