/** WBXML codec (WAP-192-WBXML §5; digest §13) against the byte sequences observed from SyncEvolution. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeWbxml, encodeMbUint32, encodeWbxml } from '../../src/formats/wbxml/codec.js';
import { DEVINF_12, NS_METINF, NS_SYNCML_12, SYNCML_12 } from '../../src/formats/wbxml/tables.js';
import { el } from '../../src/formats/wbxml/tree.js';
import { decodeMessage, encodeMessage } from '../../src/formats/syncml/codec.js';

describe('WBXML (digest §13)', () => {
  it('mb_u_int32: A4 01 = 0x1201 (SyncML 1.2 public ID)', () => {
    assert.deepEqual([...encodeMbUint32(0x1201)], [0xa4, 0x01]);
    assert.deepEqual([...encodeMbUint32(0x7f)], [0x7f]);
    assert.deepEqual([...encodeMbUint32(0x80)], [0x81, 0x00]);
  });

  it('header 02 A4 01 6A 00 and SyncML tag 6D (0x2D | content)', () => {
    const bytes = encodeWbxml(
      el(NS_SYNCML_12, 'SyncML', el(NS_SYNCML_12, 'SyncBody', el(NS_SYNCML_12, 'Final'))),
      SYNCML_12,
    );
    assert.deepEqual([...bytes], [0x02, 0xa4, 0x01, 0x6a, 0x00, 0x6d, 0x6b, 0x12, 0x01, 0x01]);
  });

  it('decodes code-page switches around Meta (00 01 … 00 00), STR_I and OPAQUE', () => {
    // <SyncML><SyncBody><Item><Meta><Type>text/vcard</Type></Meta><Data>OPAQUE "BEGIN"</Data></Item></SyncBody></SyncML>
    const bytes = Uint8Array.from([
      0x02,
      0xa4,
      0x01,
      0x6a,
      0x00,
      0x6d,
      0x6b,
      0x54,
      0x5a,
      0x00,
      0x01,
      0x53,
      0x03,
      ...Buffer.from('text/vcard'),
      0x00,
      0x01,
      0x00,
      0x00,
      0x01,
      0x4f,
      0xc3,
      0x05,
      ...Buffer.from('BEGIN'),
      0x01,
      0x01,
      0x01,
      0x01,
    ]);
    const doc = decodeWbxml(bytes);
    assert.equal(doc.language, SYNCML_12);
    const item = (doc.root.children[0] as ReturnType<typeof el>).children[0] as ReturnType<typeof el>;
    const meta = item.children[0] as ReturnType<typeof el>;
    const type = meta.children[0] as ReturnType<typeof el>;
    assert.equal(type.ns, NS_METINF);
    assert.equal(type.name, 'Type');
    assert.deepEqual(type.children, ['text/vcard']);
    const data = item.children[1] as ReturnType<typeof el>;
    assert.equal(data.ns, NS_SYNCML_12, 'the page switches back to SyncML after Meta');
    assert.deepEqual([...(data.children[0] as Uint8Array)], [...Buffer.from('BEGIN')]);
  });

  it('accepts the public ID as a string-table reference (public ID 0 + index)', () => {
    const id = Buffer.from('-//SYNCML//DTD SyncML 1.2//EN\0');
    const bytes = Uint8Array.from([0x02, 0x00, 0x00, 0x6a, id.length, ...id, 0x2d]);
    assert.equal(decodeWbxml(bytes).language, SYNCML_12);
  });

  it('round-trips a SyncML message with an embedded WBXML DevInf as OPAQUE (02 A4 03 6A 00 4A …)', () => {
    const devinf = el(
      'syncml:devinf',
      'DevInf',
      el('syncml:devinf', 'VerDTD', '1.2'),
      el('syncml:devinf', 'DevID', 'dev'),
    );
    const encodedDevinf = encodeWbxml(devinf, DEVINF_12);
    assert.deepEqual([...encodedDevinf.subarray(0, 6)], [0x02, 0xa4, 0x03, 0x6a, 0x00, 0x4a]);
    const msg = {
      version: '1.2' as const,
      final: true,
      hdr: {
        verDTD: '1.2',
        verProto: 'SyncML/1.2',
        sessionId: '5',
        msgId: '1',
        target: { locURI: 'http://s/syncml' },
        source: { locURI: 'dev', locName: 'test' },
      },
      commands: [
        {
          kind: 'Put' as const,
          cmdId: '1',
          meta: { type: 'application/vnd.syncml-devinf+wbxml' },
          items: [{ source: { locURI: './devinf12' }, data: devinf }],
        },
        {
          kind: 'Alert' as const,
          cmdId: '2',
          data: 200,
          items: [
            {
              target: { locURI: 'addressbook' },
              source: { locURI: './addressbook' },
              meta: { anchor: { last: '1', next: '2' } },
            },
          ],
        },
      ],
    };
    const bytes = encodeMessage(msg, 'wbxml');
    const back = decodeMessage(bytes, 'wbxml');
    assert.equal(back.hdr.source.locName, 'test');
    assert.equal(back.final, true);
    const put = back.commands[0];
    assert.equal(put?.kind, 'Put');
    assert.deepEqual(put && 'items' in put ? put.items[0]?.data : null, devinf);
    const alert = back.commands[1];
    assert.deepEqual(alert?.kind === 'Alert' ? alert.items[0]?.meta?.anchor : null, { last: '1', next: '2' });
    // The same message as XML parses to the same commands.
    assert.deepEqual(decodeMessage(encodeMessage(msg, 'xml'), 'xml').commands, back.commands);
  });
});
