import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { StoreError, type Store } from '../../../src/store/store.js';
import { openSqliteStore } from '../../../src/store/sqlite/index.js';
import { elements, textOf, type XmlElement } from '../../../src/xml/element.js';
import { parseXml } from '../../../src/xml/parse.js';
import { BUFFER_BEFORE_STREAMING } from '../../../src/http/send.js';
import { MEMBER_PAGE } from '../../../src/dav/core/members.js';
import { basic, davFetch, startTestServer, type TestServer } from '../../helpers/server.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const D = 'DAV:';
const MEMBERS = 8_000;
const BIG = '/files/alice/big';
const X_NS = 'urn:example:streaming-test';

/** Fail listChildrenPage from its `failAt`-th call on (0 = never). */
let failAt = 0;
let pageCalls = 0;
/** Measured by the first test: bytes of one member's DAV:response. */
let bytesPerMember = 300;

function rawPropfind(
  url: string,
  path: string,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      new URL(path, url),
      {
        method: 'PROPFIND',
        headers: { Authorization: basic('alice', 'alice-pw'), Depth: '1', 'Content-Type': 'application/xml' },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
        res.on('close', () => {
          if (!res.complete) reject(new Error('the answer was cut off'));
        });
      },
    );
    req.on('error', reject);
    req.end(
      `<D:propfind xmlns:D="DAV:"><D:prop><D:getetag/><D:displayname/><x:colour xmlns:x="${X_NS}"/></D:prop></D:propfind>`,
    );
  });
}

describe('RFC 4918 §9.1 PROPFIND Depth 1 on a large collection is streamed (§13 multistatus, chunked)', () => {
  let server: TestServer;
  let dir: string;
  let dav: ReturnType<typeof davFetch>;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'almanac-stream-'));
    const inner = openSqliteStore(join(dir, 'store.sqlite'), { synchronous: 'NORMAL' });
    const store = new Proxy(inner, {
      get(target, prop, receiver) {
        const v = Reflect.get(target, prop, receiver) as unknown;
        if (prop === 'listChildrenPage') {
          return (...args: Parameters<Store['listChildrenPage']>) => {
            pageCalls += 1;
            if (failAt > 0 && pageCalls >= failAt)
              return Promise.reject(new StoreError('not-found', 'injected failure'));
            return target.listChildrenPage(...args);
          };
        }
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      },
    }) as Store;
    server = await startTestServer({ store, users: { alice: 'alice-pw' } });
    dav = davFetch(server.url, 'alice');
    assert.equal((await dav(`/dav${BIG}/`, { method: 'MKCOL' })).status, 201);
    const owner = (await inner.getUserByName('alice'))?.id ?? 0;
    await inner.transaction([BIG], async (tx) => {
      for (let i = 0; i < MEMBERS; i++) {
        const path = `${BIG}/file-${String(i).padStart(5, '0')}.txt`;
        const { resource } = await tx.putObject(path, {
          ownerId: owner,
          body: new TextEncoder().encode(`member ${i}`),
          contentType: 'text/plain',
          etag: `"e${i}"`,
        });
        // A dead property in a namespace the writer has no fixed prefix for, on every tenth member.
        if (i % 10 === 0)
          await tx.patchProperties(
            resource.id,
            [{ name: `{${X_NS}}colour`, xml: `<x:colour xmlns:x="${X_NS}">c${i} &amp; more</x:colour>` }],
            [],
          );
      }
    });
  });
  after(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sends every member once, chunked, as well-formed XML with undeclared namespaces declared where used', async () => {
    failAt = 0;
    pageCalls = 0;
    const res = await rawPropfind(server.url, `/dav${BIG}/`);
    assert.equal(res.status, 207);
    bytesPerMember = Buffer.byteLength(res.body) / (MEMBERS + 1);
    assert.ok(bytesPerMember * MEMBERS > 2 * BUFFER_BEFORE_STREAMING, 'the answer is well past the buffered start');
    assert.equal(res.headers['transfer-encoding'], 'chunked');
    assert.equal(res.headers['content-length'], undefined);
    assert.ok(pageCalls >= Math.ceil(MEMBERS / MEMBER_PAGE), `members read in pages (${pageCalls} page queries)`);
    const root = parseXml(res.body);
    assert.equal(root.name, `{${D}}multistatus`);
    const responses = elements(root, `{${D}}response`);
    assert.equal(responses.length, MEMBERS + 1);
    const hrefs = responses.map((r) => textOf(elements(r, `{${D}}href`)[0] as XmlElement));
    assert.equal(new Set(hrefs).size, hrefs.length, 'no member twice');
    const expected = [
      `/dav${BIG}/`,
      ...Array.from({ length: MEMBERS }, (_v, i) => `/dav${BIG}/file-${String(i).padStart(5, '0')}.txt`),
    ];
    assert.deepEqual(hrefs, expected);
    // Member 10 has the dead property (200), member 11 has not (404): both named in X_NS.
    const propsOf = (r: XmlElement, status: string): string[] =>
      elements(r, `{${D}}propstat`)
        .filter((ps) => textOf(elements(ps, `{${D}}status`)[0] as XmlElement).includes(status))
        .flatMap((ps) => elements(elements(ps, `{${D}}prop`)[0] as XmlElement).map((p) => `${p.name}=${textOf(p)}`));
    assert.ok(propsOf(responses[11] as XmlElement, ' 200 ').includes(`{${X_NS}}colour=c10 & more`));
    assert.ok(propsOf(responses[12] as XmlElement, ' 404 ').includes(`{${X_NS}}colour=`));
    assert.ok(propsOf(responses[12] as XmlElement, ' 200 ').includes(`{${D}}getetag="e11"`));
  });

  it('a small answer still has a Content-Length', async () => {
    const res = await dav(`/dav${BIG}/file-00001.txt`, { method: 'PROPFIND', headers: { Depth: '0' } });
    assert.equal(res.status, 207);
    assert.ok(Number(res.headers.get('content-length')) > 0);
    assert.equal(elements(parseXml(await res.text()), `{${D}}response`).length, 1);
  });

  /**
   * A PROPPATCH of the collection moves its metadata state, so its next listing is read from the
   * store page by page again (the first one was kept: domain/member-listings.ts) — where the
   * injected failures strike.
   */
  let renamed = 0;
  async function relist(): Promise<void> {
    const body = `<D:propertyupdate xmlns:D="DAV:"><D:set><D:prop><D:displayname>big ${++renamed}</D:displayname></D:prop></D:set></D:propertyupdate>`;
    assert.equal((await dav(`/dav${BIG}/`, { method: 'PROPPATCH', body })).status, 207);
  }

  it('a failure before anything was sent becomes a proper error response, not a 207', async () => {
    await relist();
    failAt = 2; // the second page of members fails, while the first page is still buffered
    assert.ok(bytesPerMember * MEMBER_PAGE < BUFFER_BEFORE_STREAMING);
    pageCalls = 0;
    const res = await rawPropfind(server.url, `/dav${BIG}/`);
    failAt = 0;
    assert.equal(res.status, 404);
    assert.doesNotMatch(res.body, /multistatus/);
  });

  it('a failure after the 207 was sent cuts the connection: the client never gets a complete wrong answer', async () => {
    // A page read after more than the buffered start was produced (and so sent) fails.
    await relist();
    failAt = Math.ceil(BUFFER_BEFORE_STREAMING / (bytesPerMember * MEMBER_PAGE)) + 2;
    assert.ok((failAt - 1) * MEMBER_PAGE < MEMBERS, 'the failing page exists');
    pageCalls = 0;
    await assert.rejects(rawPropfind(server.url, `/dav${BIG}/`).then((r) => parseXml(r.body)));
    failAt = 0;
    // The server is fine afterwards.
    const again = await rawPropfind(server.url, `/dav${BIG}/`);
    assert.equal(elements(parseXml(again.body), `{${D}}response`).length, MEMBERS + 1);
  });

  it('a client that goes away mid-answer does not keep the server busy', async () => {
    await new Promise<void>((resolve, reject) => {
      const req = request(
        new URL(`/dav${BIG}/`, server.url),
        { method: 'PROPFIND', headers: { Authorization: basic('alice', 'alice-pw'), Depth: '1' } },
        (res) => {
          res.once('data', () => {
            req.destroy();
            resolve();
          });
        },
      );
      req.on('error', () => undefined);
      req.end();
      setTimeout(() => reject(new Error('no data')), 10_000).unref();
    });
    const res = await dav(`/dav${BIG}/file-00002.txt`, { method: 'PROPFIND', headers: { Depth: '0' } });
    assert.equal(res.status, 207);
    await res.text();
  });
});

describe('A streamed answer the client stops reading is dropped after responseStallMs (explicit request-time limit)', () => {
  const STALL_MEMBERS = 60_000;
  let server: TestServer;

  before(async () => {
    server = await startTestServer({ users: { alice: 'alice-pw' }, config: { responseStallMs: 300 } });
    const owner = (await server.store.getUserByName('alice'))?.id ?? 0;
    await server.store.transaction([BIG], async (tx) => {
      await tx.createCollection(BIG, { ownerId: owner });
      for (let i = 0; i < STALL_MEMBERS; i++) {
        await tx.putObject(`${BIG}/m${i}.txt`, {
          ownerId: owner,
          body: new Uint8Array(0),
          contentType: 'text/plain',
          etag: `"${i}"`,
        });
      }
    });
  });
  after(async () => server.close());

  it('a reader that pauses is cut off; the server keeps answering others', async () => {
    // Pause after the first piece, well past the stall limit, then read on: without the limit
    // the rest of the answer would still come, complete; with it the connection is gone.
    const outcome = await new Promise<{ complete: boolean; bytes: number }>((resolve, reject) => {
      const req = request(
        new URL(`/dav${BIG}/`, server.url),
        {
          method: 'PROPFIND',
          headers: { Authorization: basic('alice', 'alice-pw'), Depth: '1' },
        },
        (res) => {
          let bytes = 0;
          let done = false;
          const finish = (): void => {
            if (!done) resolve({ complete: res.complete, bytes });
            done = true;
          };
          res.on('data', (c: Buffer) => {
            bytes += c.length;
          });
          res.once('data', () => {
            res.pause();
            setTimeout(() => res.resume(), 3_000);
          });
          res.on('end', finish);
          res.on('error', finish);
          res.on('close', finish);
        },
      );
      req.on('error', () => undefined);
      req.end('<D:propfind xmlns:D="DAV:"><D:prop><D:getetag/></D:prop></D:propfind>');
      setTimeout(() => reject(new Error('no outcome')), 30_000).unref();
    });
    assert.equal(outcome.complete, false, `the stalled answer was cut (${outcome.bytes} bytes arrived)`);
    const res = await davFetch(server.url, 'alice')(`/dav${BIG}/m1.txt`, {
      method: 'PROPFIND',
      headers: { Depth: '0' },
    });
    assert.equal(res.status, 207);
    await res.text();
  });
});
