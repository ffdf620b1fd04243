// almanac-test: alone (asserts a time bound; test/run.js runs it with nothing beside it)
/**
 * POST /syncml refuses a hostile body fast, with a 4xx and before authentication (digest §1:
 * HTTP errors when no SyncML answer is possible; limits of formats/wbxml/limits.ts): a WBXML
 * string-table bomb, a namespace-declaration flood, megabytes of empty elements, an ENTITY
 * beyond Unicode. The server keeps answering afterwards.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { encodeMbUint32 } from '../../src/formats/wbxml/codec.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { message, post, statuses } from './http-client.js';

const WBXML = 'application/vnd.syncml+wbxml';
const XML = 'application/vnd.syncml+xml';

/** A SyncML 1.2 WBXML body with string table `table` and body `body`. */
function wbxml(body: Uint8Array, table = new Uint8Array(0)): Buffer {
  return Buffer.concat([Buffer.from([0x02, 0xa4, 0x01, 0x6a, ...encodeMbUint32(table.length)]), table, body]);
}

describe('digest §1: /syncml refuses hostile bodies with a fast 4xx', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => server.close());

  /** POST a body; `rssMb` is the peak growth of this process's RSS (the server runs in it) meanwhile. */
  async function send(
    contentType: string,
    body: Uint8Array,
  ): Promise<{ status: number; text: string; ms: number; rssMb: number }> {
    const rss = process.memoryUsage().rss;
    let peak = rss;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 5);
    const t0 = performance.now();
    try {
      const res = await fetch(new URL('/syncml', server.url), {
        method: 'POST',
        headers: { 'Content-Type': contentType },
        body,
      });
      const text = await res.text();
      return {
        status: res.status,
        text,
        ms: performance.now() - t0,
        rssMb: (Math.max(peak, process.memoryUsage().rss) - rss) / 2 ** 20,
      };
    } finally {
      clearInterval(sampler);
    }
  }

  it('WAP-192 §5.7: a 190 KB string-table reference bomb (4.5 GB expanded) → 413 in < 1 s, RSS + < 16 MB', async () => {
    const table = Buffer.concat([Buffer.alloc(100_000, 0x41), Buffer.from([0])]);
    const refs = new Uint8Array(90_000);
    for (let i = 0; i < refs.length; i += 2) refs.set([0x83, 0x00], i);
    const r = await send(WBXML, wbxml(Buffer.from([0x6d, ...refs, 0x01]), table));
    assert.equal(r.status, 413, r.text);
    assert.match(r.text, /string-table references expand to more than/);
    assert.ok(r.ms < 1000, `${r.ms.toFixed(0)} ms`);
    assert.ok(r.rssMb < 16, `RSS + ${r.rssMb.toFixed(1)} MB`);
  });

  it('WAP-192 §5.8.4.3: ENTITY 0x7fffffff → 400, not 500', async () => {
    const r = await send(WBXML, wbxml(Buffer.from([0x6d, 0x02, ...encodeMbUint32(0x7fffffff), 0x01])));
    assert.equal(r.status, 400, r.text);
    assert.match(r.text, /not a Unicode character/);
  });

  it('240 KB of namespace declarations → 400 in < 1 s (was 44 s of blocked event loop)', async () => {
    let decl = '';
    for (let i = 0; i < 8000; i++) decl += ` xmlns:p${i}="u"`;
    const r = await send(XML, Buffer.from(`<SyncML xmlns="SYNCML:SYNCML1.2"${decl}>${'<a/>'.repeat(30_000)}</SyncML>`));
    assert.equal(r.status, 400, r.text);
    assert.ok(r.ms < 1000, `${r.ms.toFixed(0)} ms`);
  });

  it('15 MB of empty elements → 413 once 100,000 are read, RSS + < 200 MB (was 400 after building them all, + 470 MB)', async () => {
    const r = await send(XML, Buffer.from(`<SyncML xmlns="SYNCML:SYNCML1.2">${'<a/>'.repeat(3_900_000)}</SyncML>`));
    assert.equal(r.status, 413, r.text);
    assert.match(r.text, /more than 100000 elements/);
    // Generous: reading 15 MB over loopback on a loaded machine; unloaded it is < 1 s.
    assert.ok(r.ms < 10_000, `${r.ms.toFixed(0)} ms`);
    assert.ok(r.rssMb < 200, `RSS + ${r.rssMb.toFixed(0)} MB`);
  });

  it('a body over the message limit → 413', async () => {
    const r = await send(XML, Buffer.alloc(17 * 1024 * 1024, 0x20));
    assert.equal(r.status, 413, r.text);
  });

  it('the server still answers a well-formed message afterwards (407 without credentials)', async () => {
    const r = await post(server.url, message({ device: 'after-dev', sessionId: '1', msgId: '1', commands: [] }));
    assert.deepEqual(statuses(r.msg, 'SyncHdr'), [407]);
  });
});
