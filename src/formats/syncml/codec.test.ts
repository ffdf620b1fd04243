/**
 * SyncML message codec (RepPro 1.2 §5–6; digest §2, §13): typed message ⇄ XML and WBXML. Round
 * trips of every command shape in both encodings and all three versions, the media types, the
 * document limits, and malformed input refused with the codec's own errors (never a crash).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeMessage, encodeMessage, encodingOf, mediaTypeOf } from './codec.js';
import { ALERT, isFailureStatus, isSyncType, STATUS, type SyncmlMessage, type SyncmlVersion } from './model.js';
import { SyncmlParseError } from './parse.js';
import { SyncmlXmlError } from './xml.js';
import { WbxmlError } from '../wbxml/codec.js';
import { DocumentBudget, DEFAULT_DOCUMENT_LIMITS, DocumentLimitError } from '../wbxml/limits.js';

const enc = new TextEncoder();

function sample(version: SyncmlVersion): SyncmlMessage {
  const verDTD = version;
  return {
    version,
    final: true,
    hdr: {
      verDTD,
      verProto: `SyncML/${version}`,
      sessionId: '9',
      msgId: '3',
      target: { locURI: 'http://s/syncml' },
      source: { locURI: 'IMEI:1', locName: 'alice' },
      respURI: 'http://s/syncml?sid=x',
      cred: { meta: { type: 'syncml:auth-md5', format: 'b64' }, data: 'abc=' },
      meta: { maxMsgSize: 5000, maxObjSize: 100000 },
    },
    commands: [
      {
        kind: 'Status',
        cmdId: '1',
        msgRef: '2',
        cmdRef: '0',
        cmd: 'SyncHdr',
        targetRefs: ['http://s/syncml'],
        sourceRefs: ['IMEI:1'],
        data: STATUS.AUTH_ACCEPTED,
        items: [],
        chal: { type: 'syncml:auth-md5', format: 'b64', nextNonce: 'bm9uY2U=' },
      },
      {
        kind: 'Alert',
        cmdId: '2',
        data: ALERT.TWO_WAY,
        items: [
          {
            target: { locURI: 'contacts' },
            source: { locURI: './contacts' },
            meta: { anchor: { last: '1', next: '2' }, maxObjSize: 4000 },
          },
        ],
      },
      {
        kind: 'Sync',
        cmdId: '3',
        target: { locURI: 'contacts' },
        source: { locURI: './contacts' },
        numberOfChanges: 3,
        commands: [
          {
            kind: 'Add',
            cmdId: '4',
            meta: { type: 'text/x-vcard' },
            items: [{ source: { locURI: '17' }, data: 'BEGIN:VCARD\r\nVERSION:2.1\r\nN:Ä;B <&>\r\nEND:VCARD\r\n' }],
          },
          {
            kind: 'Replace',
            cmdId: '5',
            items: [
              { target: { locURI: 'g1' }, source: { locURI: '18' }, meta: { size: 10 }, data: 'part', moreData: true },
            ],
          },
          { kind: 'Delete', cmdId: '6', items: [{ source: { locURI: '19' } }] },
        ],
      },
      {
        kind: 'Map',
        cmdId: '7',
        target: { locURI: './contacts' },
        source: { locURI: 'contacts' },
        mapItems: [{ target: 'g1', source: '17' }],
      },
      {
        kind: 'Get',
        cmdId: '8',
        meta: { type: 'application/vnd.syncml-devinf+xml' },
        items: [{ target: { locURI: './devinf12' } }],
      },
    ],
  };
}

describe('SyncML codec: typed messages ⇄ XML / WBXML', () => {
  for (const version of ['1.0', '1.1', '1.2'] as const) {
    for (const encoding of ['xml', 'wbxml'] as const) {
      it(`SyncML ${version} in ${encoding}: Status, Alert, Sync (Add/Replace/Delete, MoreData), Map, Get survive a round trip`, () => {
        const m = sample(version);
        assert.deepEqual(decodeMessage(encodeMessage(m, encoding), encoding), m);
      });
    }
  }

  it('a message that is not Final round-trips as such (digest §10)', () => {
    const m = { ...sample('1.2'), final: false };
    assert.equal(decodeMessage(encodeMessage(m, 'wbxml'), 'wbxml').final, false);
    assert.equal(decodeMessage(encodeMessage(m, 'xml'), 'xml').final, false);
  });

  it('media types (digest §1): both encodings, parameters ignored, anything else null', () => {
    assert.equal(encodingOf('application/vnd.syncml+xml; charset=UTF-8'), 'xml');
    assert.equal(encodingOf('application/vnd.syncml+wbxml'), 'wbxml');
    assert.equal(encodingOf('text/xml'), null);
    assert.equal(encodingOf(undefined), null);
    assert.equal(mediaTypeOf('wbxml'), 'application/vnd.syncml+wbxml');
  });
});

describe('SyncML codec: refusals, limits and tables', () => {
  it('malformed input is refused with the codec errors', () => {
    assert.throws(() => decodeMessage(enc.encode('<SyncML'), 'xml'), SyncmlXmlError);
    assert.throws(() => decodeMessage(enc.encode('<x/>'), 'xml'), SyncmlParseError);
    assert.throws(
      () => decodeMessage(enc.encode('<SyncML><SyncBody/></SyncML>'), 'xml'),
      SyncmlParseError,
      'SyncHdr is required',
    );
    assert.throws(
      () => decodeMessage(new Uint8Array([0x02, 0xa4, 0x01, 0x6a, 0x00, 0x6d]), 'wbxml'),
      WbxmlError,
      'truncated',
    );
    assert.throws(() => decodeMessage(new Uint8Array(0), 'wbxml'), WbxmlError, 'empty');
  });

  it('every truncation of a valid WBXML message is refused cleanly, none crashes', () => {
    const bytes = encodeMessage(sample('1.2'), 'wbxml');
    for (let n = 0; n < bytes.length; n++) {
      try {
        decodeMessage(bytes.subarray(0, n), 'wbxml');
      } catch (err) {
        assert.ok(
          err instanceof WbxmlError || err instanceof SyncmlParseError || err instanceof DocumentLimitError,
          `${n} bytes: ${String(err)}`,
        );
      }
    }
  });

  it('limits: a body over the budget is 413 before it is parsed; too many elements 413', () => {
    const small = { ...DEFAULT_DOCUMENT_LIMITS, maxBytes: 100 };
    const body = encodeMessage(sample('1.2'), 'xml');
    assert.throws(
      () => decodeMessage(body, 'xml', new DocumentBudget(small)),
      (e: unknown) => e instanceof DocumentLimitError && e.status === 413,
    );
    const few = { ...DEFAULT_DOCUMENT_LIMITS, maxElements: 10 };
    for (const encoding of ['xml', 'wbxml'] as const) {
      assert.throws(
        () => decodeMessage(encodeMessage(sample('1.2'), encoding), encoding, new DocumentBudget(few)),
        (e: unknown) => e instanceof DocumentLimitError && e.status === 413,
        encoding,
      );
    }
  });

  it('the STATUS / ALERT tables: sync types are 200–205, failures 3xx–5xx (RepPro 1.2 §10, DS Protocol 1.2 §8)', () => {
    assert.deepEqual([200, 201, 202, 203, 204, 205, 199, 206, 225].map(isSyncType), [
      true,
      true,
      true,
      true,
      true,
      true,
      false,
      false,
      false,
    ]);
    assert.deepEqual(
      [
        STATUS.OK,
        STATUS.CHUNK_ACCEPTED,
        STATUS.MULTIPLE_CHOICES,
        STATUS.CONFLICT_SERVER_WON,
        STATUS.COMMAND_FAILED,
      ].map(isFailureStatus),
      [false, false, true, true, true],
    );
  });
});
