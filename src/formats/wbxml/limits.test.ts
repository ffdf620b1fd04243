// almanac-test: alone (asserts a time bound; test/run.js runs it with nothing beside it)
/**
 * WBXML decoding within explicit limits (WAP-192-WBXML §5.7 string table, §5.8.4.3 ENTITY, §5.1
 * mb_u_int32; limits.ts): a string-table reference bomb, too many elements, too deep a tree
 * and every kind of malformed input end in a DocumentLimitError or WbxmlError, quickly and
 * without allocating what the input would expand to.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeMessage, encodeMessage } from '../syncml/codec.js';
import { decodeWbxml, encodeMbUint32, WbxmlError } from './codec.js';
import { DEFAULT_DOCUMENT_LIMITS, DocumentBudget, DocumentLimitError } from './limits.js';

const SYNCML = 0x6d; // SyncML 1.2 <SyncML> with content
const DATA = 0x4f; // <Data> with content
const FINAL = 0x12; // <Final/>

/** A SyncML 1.2 WBXML document with string table `table` and body `body`. */
function wbxml(body: readonly number[] | Uint8Array, table: Uint8Array = new Uint8Array(0)): Uint8Array {
  return Buffer.concat([
    Buffer.from([0x02, 0xa4, 0x01, 0x6a, ...encodeMbUint32(table.length)]),
    table,
    Buffer.from(body),
  ]);
}

/** What a decode threw: 'limit <status>', 'wbxml', or the name of any other exception. */
function failure(f: () => unknown): string {
  try {
    f();
    return 'none';
  } catch (err) {
    if (err instanceof DocumentLimitError) return `limit ${err.status}`;
    if (err instanceof WbxmlError) return 'wbxml';
    return (err as Error).name;
  }
}

describe('WBXML decode limits (limits.ts)', () => {
  it('WAP-192 §5.7: 190 KB of string-table references to a 100 KB string (> 4 GB expanded) are refused in < 1 s, RSS + < 16 MB', () => {
    const table = Buffer.concat([Buffer.alloc(100_000, 0x41), Buffer.from([0])]);
    const refs = new Uint8Array(90_000);
    for (let i = 0; i < refs.length; i += 2) refs.set([0x83, 0x00], i);
    const bomb = wbxml([SYNCML, ...refs, 0x01], table);
    const rss = process.memoryUsage().rss;
    const t0 = performance.now();
    assert.equal(
      failure(() => decodeWbxml(bomb)),
      'limit 413',
    );
    const ms = performance.now() - t0;
    const grown = (process.memoryUsage().rss - rss) / 2 ** 20;
    assert.ok(ms < 1000, `took ${ms.toFixed(0)} ms`);
    assert.ok(grown < 16, `RSS grew by ${grown.toFixed(1)} MB`);
  });

  it('string-table references are bounded by the bytes they produce, not by their count', () => {
    const table = Buffer.concat([Buffer.alloc(1024, 0x61), Buffer.from([0])]);
    const refs = (n: number): number[] => Array.from({ length: n }, () => [0x83, 0x00]).flat();
    const fits = DEFAULT_DOCUMENT_LIMITS.maxStringTableOutput / 1024;
    assert.equal(
      failure(() => decodeWbxml(wbxml([SYNCML, ...refs(fits), 0x01], table))),
      'none',
      'many short references are fine',
    );
    assert.equal(
      failure(() => decodeWbxml(wbxml([SYNCML, ...refs(fits + 1), 0x01], table))),
      'limit 413',
    );
  });

  it('more elements than maxElements → 413; nesting deeper than maxDepth → 400', () => {
    const many = new Array<number>(DEFAULT_DOCUMENT_LIMITS.maxElements).fill(FINAL);
    assert.equal(
      failure(() => decodeWbxml(wbxml([SYNCML, ...many.slice(1), 0x01]))),
      'none',
      'exactly maxElements',
    );
    assert.equal(
      failure(() => decodeWbxml(wbxml([SYNCML, ...many, 0x01]))),
      'limit 413',
    );
    const deep = (n: number): number[] => [...new Array<number>(n).fill(SYNCML), ...new Array<number>(n).fill(0x01)];
    assert.equal(
      failure(() => decodeWbxml(wbxml(deep(DEFAULT_DOCUMENT_LIMITS.maxDepth)))),
      'none',
    );
    assert.equal(
      failure(() => decodeWbxml(wbxml(deep(DEFAULT_DOCUMENT_LIMITS.maxDepth + 1)))),
      'limit 400',
    );
  });

  it('WBXML documents nested in OPAQUE Data share the message budget (digest §13 embedded DevInf)', () => {
    // Each embedded document expands its table 8 times; together they pass the limit, none alone.
    const inner = wbxml(
      [SYNCML, ...Array.from({ length: 8 }, () => [0x83, 0x00]).flat(), 0x01],
      Buffer.concat([Buffer.alloc(20_000, 0x42), Buffer.from([0])]),
    );
    const item = [DATA, 0xc3, ...encodeMbUint32(inner.length), ...inner, 0x01];
    const one = new DocumentBudget();
    assert.equal(
      failure(() => decodeWbxml(wbxml([SYNCML, ...item, 0x01]), undefined, one)),
      'none',
    );
    const count = Math.ceil(DEFAULT_DOCUMENT_LIMITS.maxStringTableOutput / (8 * 20_000)) + 1;
    const message = wbxml([SYNCML, ...Array.from({ length: count }, () => item).flat(), 0x01]);
    assert.equal(
      failure(() => decodeMessage(message, 'wbxml')),
      'limit 413',
    );
  });
});

describe('WBXML decode errors (limits.ts)', () => {
  it('WAP-192 §5.8.4.3: ENTITY 0x7fffffff, or a surrogate, is a decode error, not a RangeError', () => {
    assert.equal(
      failure(() => decodeWbxml(wbxml([SYNCML, 0x02, ...encodeMbUint32(0x7fffffff), 0x01]))),
      'wbxml',
    );
    assert.equal(
      failure(() => decodeWbxml(wbxml([SYNCML, 0x02, ...encodeMbUint32(0xd800), 0x01]))),
      'wbxml',
    );
    assert.equal(
      failure(() => decodeWbxml(wbxml([SYNCML, 0x02, ...encodeMbUint32(0x10ffff), 0x01]))),
      'none',
    );
  });

  it('WAP-192 §5.1: an mb_u_int32 over 32 bits or over 5 bytes is a decode error', () => {
    assert.equal(
      failure(() => decodeWbxml(wbxml([SYNCML, 0x02, 0xff, 0xff, 0xff, 0xff, 0x7f, 0x01]))),
      'wbxml',
    );
    assert.equal(
      failure(() => decodeWbxml(wbxml([SYNCML, 0x02, 0x81, 0x81, 0x81, 0x81, 0x81, 0x01, 0x01]))),
      'wbxml',
    );
  });

  it('an unknown code page or tag is a decode error', () => {
    assert.equal(
      failure(() => decodeWbxml(wbxml([0x00, 0x09, SYNCML, 0x01]))),
      'wbxml',
    );
    assert.equal(
      failure(() => decodeWbxml(wbxml([SYNCML, 0x00, 0x01, 0x7f, 0x01, 0x01]))),
      'wbxml',
    );
  });

  it('every truncation of a real message is a decode error, never another exception', () => {
    const msg = encodeMessage(
      {
        version: '1.2',
        final: true,
        hdr: {
          verDTD: '1.2',
          verProto: 'SyncML/1.2',
          sessionId: '1',
          msgId: '1',
          target: { locURI: 'http://s/syncml' },
          source: { locURI: 'dev' },
        },
        commands: [
          {
            kind: 'Alert',
            cmdId: '1',
            data: 200,
            items: [{ target: { locURI: 'contacts' }, source: { locURI: './c' }, meta: { anchor: { next: '1' } } }],
          },
        ],
      },
      'wbxml',
    );
    for (let n = 0; n < msg.length; n++) {
      const got = failure(() => decodeWbxml(msg.subarray(0, n)));
      assert.equal(got, 'wbxml', `${n} of ${msg.length} bytes: ${got}`);
    }
  });
});
