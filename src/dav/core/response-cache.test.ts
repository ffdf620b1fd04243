import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Caches } from '../../domain/caches.js';
import type { Store } from '../../store/store.js';
import type { Resource, User } from '../../store/types.js';
import { DEFAULT_XML_LIMITS } from '../../xml/limits.js';
import type { DavContext, DavResponse } from './context.js';
import type { KeptAnswer } from '../../domain/caches.js';
import { Lru } from '../../formats/lru.js';
import { Registry } from './registry.js';
import { ResponseCache } from './response-cache.js';
import { producedBytesOf } from './response.js';
import { storedResource } from './resource.js';

const user = (id: number): User => ({
  id,
  name: `u${id}`,
  email: null,
  displayName: null,
  passwordHash: '',
  createdAt: 0,
});

function ctx(over: { user?: number; path?: string; headers?: Record<string, string> } = {}): DavContext {
  return {
    store: {} as Store,
    registry: new Registry(),
    user: user(over.user ?? 1),
    method: 'REPORT',
    path: over.path ?? '/calendars/u1/default',
    trailingSlash: true,
    headers: over.headers ?? { depth: '1' },
    settings: { maxUploadBytes: 1, xml: DEFAULT_XML_LIMITS, maxLockSeconds: 1, caches: Caches.none() },
    now: 0,
    body: undefined as never,
    readBody: async () => Buffer.alloc(0),
  };
}

function collection(over: Partial<Resource> = {}): Resource {
  return {
    id: 7,
    path: '/calendars/u1/default',
    parentId: 3,
    isCollection: true,
    collectionType: 'calendar',
    ownerId: 1,
    contentType: null,
    size: 0,
    etag: '"c"',
    createdAt: 0,
    modifiedAt: 0,
    syncSeq: 10,
    uid: null,
    component: null,
    firstStart: null,
    lastEnd: null,
    spanExact: false,
    metaSeq: 2,
    derived: null,
    ...over,
  };
}

async function text(res: DavResponse): Promise<string> {
  const b = res.body;
  if (b === undefined) return '';
  if (typeof b === 'string') return b;
  if (b instanceof Uint8Array) return Buffer.from(b).toString('utf8');
  let out = '';
  for await (const chunk of b) out += chunk;
  return out;
}

async function* chunks(parts: string[], fail = false): AsyncGenerator<string> {
  for (const p of parts) yield p;
  if (fail) throw new Error('producer failed');
}

const body = Buffer.from('<C:calendar-query/>');

/** A cache over its own LRU of `budget` bytes, and that LRU (for its statistics). */
function cacheOf(budget: number, maxEntryBytes?: number): { cache: ResponseCache; lru: Lru<string, KeptAnswer> } {
  const lru = new Lru<string, KeptAnswer>({ maxBytes: budget });
  return { cache: new ResponseCache(lru, maxEntryBytes), lru };
}
const answer = (b: DavResponse['body']): DavResponse => ({
  status: 207,
  headers: { 'Content-Type': 'application/xml; charset=utf-8' },
  body: b,
});

describe('report answer cache (dav/core/response-cache.ts)', () => {
  it('the state is (id, sync sequence, metadata sequence) of a stored collection; objects and virtual resources have none', () => {
    assert.equal(ResponseCache.stateOf(storedResource(collection())), '7.10.2');
    assert.notEqual(ResponseCache.stateOf(storedResource(collection({ syncSeq: 11 }))), '7.10.2');
    assert.notEqual(ResponseCache.stateOf(storedResource(collection({ metaSeq: 3 }))), '7.10.2');
    assert.notEqual(ResponseCache.stateOf(storedResource(collection({ id: 8 }))), '7.10.2');
    assert.equal(
      ResponseCache.stateOf(storedResource(collection({ isCollection: false, path: '/calendars/u1/default/a.ics' }))),
      null,
    );
  });

  it('an answer is served again only for the state it was computed from', async () => {
    const { cache, lru } = cacheOf(1 << 20);
    const key = cache.keyOf(ctx(), ['read'], body);
    assert.equal(cache.lookup(key, '7.10.2'), null);
    const sent = cache.keep(key, '7.10.2', answer('<multistatus>one</multistatus>'));
    assert.equal(await text(sent), '<multistatus>one</multistatus>');
    const hit = cache.lookup(key, '7.10.2');
    assert.ok(hit);
    assert.equal(hit.status, 207);
    assert.equal(hit.headers?.['Content-Type'], 'application/xml; charset=utf-8');
    assert.equal(await text(hit), '<multistatus>one</multistatus>');
    assert.equal(cache.lookup(key, '7.11.2'), null, 'a member write moved the sync sequence');
    assert.equal(cache.lookup(key, '7.10.3'), null, 'a dead-property write moved the metadata sequence');
    const { hits, misses, entries } = lru.stats();
    assert.deepEqual({ hits, misses, entries }, { hits: 1, misses: 3, entries: 1 });
    // Computed again for the same state (Cache-Control: no-cache): sent, not copied a second time.
    const again = answer('<multistatus>one</multistatus>');
    assert.equal(cache.keep(key, '7.10.2', again), again);
    assert.equal(await text(again), '<multistatus>one</multistatus>');
    assert.equal(lru.stats().entries, 1);
    // For a newer state it replaces the old answer.
    cache.keep(key, '7.11.2', answer('<multistatus>two</multistatus>'));
    assert.equal(await text(cache.lookup(key, '7.11.2')!), '<multistatus>two</multistatus>');
    assert.equal(cache.lookup(key, '7.10.2'), null);
  });

  it("RFC 9111 §5.2.1.4: a no-cache request's answer is kept the second time its key is computed, not the first (a doorkeeper; issue #20)", async () => {
    const { cache, lru } = cacheOf(1 << 20);
    const key = cache.keyOf(ctx(), ['read'], body);
    const other = cache.keyOf(ctx({ path: '/calendars/u1/other' }), ['read'], body);
    // First computation of each key: sent whole, not kept.
    assert.equal(await text(cache.keep(key, '7.10.2', answer(chunks(['<m>', 'one</m>'])), true)), '<m>one</m>');
    assert.equal(await text(cache.keep(other, '9.1.1', answer('<m>x</m>'), true)), '<m>x</m>');
    assert.equal(lru.stats().entries, 0);
    assert.equal(cache.lookup(key, '7.10.2'), null);
    // The second: kept, and served to a request that may take a kept answer.
    assert.equal(await text(cache.keep(key, '7.10.2', answer(chunks(['<m>', 'one</m>'])), true)), '<m>one</m>');
    assert.equal(await text(cache.lookup(key, '7.10.2')!), '<m>one</m>');
    // Once kept, a fresh answer for a newer state replaces it at once.
    await text(cache.keep(key, '7.11.2', answer('<m>two</m>'), true));
    assert.equal(await text(cache.lookup(key, '7.11.2')!), '<m>two</m>');
    // A request that did not ask for a fresh answer has its answer kept the first time.
    const third = cache.keyOf(ctx({ path: '/calendars/u1/third' }), ['read'], body);
    await text(cache.keep(third, '5.1.1', answer('<m>3</m>')));
    assert.equal(await text(cache.lookup(third, '5.1.1')!), '<m>3</m>');
  });

  it('the key tells apart users, privileges, targets, the Depth/Prefer/Brief/Accept headers and body bytes', () => {
    const { cache } = cacheOf(1 << 20);
    const base = cache.keyOf(ctx(), ['read', 'write'], body);
    assert.equal(cache.keyOf(ctx(), ['write', 'read'], Buffer.from(body)), base, 'same request, same key');
    for (const other of [
      cache.keyOf(ctx({ user: 2 }), ['read', 'write'], body),
      cache.keyOf(ctx(), ['read'], body),
      cache.keyOf(ctx({ path: '/calendars/u1/other' }), ['read', 'write'], body),
      cache.keyOf(ctx({ headers: { depth: '0' } }), ['read', 'write'], body),
      cache.keyOf(ctx({ headers: { depth: '1', prefer: 'return=minimal' } }), ['read', 'write'], body),
      cache.keyOf(ctx({ headers: { depth: '1', brief: 't' } }), ['read', 'write'], body),
      cache.keyOf(ctx({ headers: { depth: '1', accept: 'application/calendar+json' } }), ['read', 'write'], body),
      cache.keyOf(ctx(), ['read', 'write'], Buffer.from('<C:calendar-query />')),
    ])
      assert.notEqual(other, base);
  });
});

describe('report answer cache: keeping and evicting answers', () => {
  it('a streamed answer is kept once it was produced to the end, as the same bytes', async () => {
    const { cache } = cacheOf(1 << 20);
    const key = cache.keyOf(ctx(), ['read'], body);
    const sent = cache.keep(key, 's', answer(chunks(['<a>', 'é', '</a>'])));
    assert.equal(cache.lookup(key, 's'), null, 'nothing is kept before the answer is complete');
    assert.equal(await text(sent), '<a>é</a>');
    const hit = cache.lookup(key, 's');
    assert.ok(hit && hit.body instanceof Uint8Array);
    assert.equal(Buffer.from(hit.body).toString('utf8'), '<a>é</a>');
  });

  it('gives the sender the bytes it kept, so a kept answer is encoded once', async () => {
    const { cache } = cacheOf(1 << 20);
    const key = cache.keyOf(ctx(), ['read'], body);
    const sent = cache.keep(key, 's', answer(chunks(['<a>', 'é', '</a>'])));
    const produced = sent.body as AsyncIterable<string>;
    assert.equal(producedBytesOf(produced), null, 'nothing before the body is produced');
    await text(sent);
    const bytes = producedBytesOf(produced);
    assert.ok(bytes);
    assert.equal(Buffer.from(bytes).toString('utf8'), '<a>é</a>');
    assert.equal(cache.lookup(key, 's')?.body, bytes, 'the very buffer that is kept');
  });

  it('offers none for a body that replaced the kept one (a sharee instance rewrites the hrefs)', async () => {
    const { cache } = cacheOf(1 << 20);
    const key = cache.keyOf(ctx(), ['read'], body);
    const sent = cache.keep(key, 's', answer(chunks(['<a>/owner/</a>'])));
    const rewritten = { ...sent, body: chunks(['<a>/instance/</a>']) };
    await text(sent);
    assert.ok(producedBytesOf(sent.body as AsyncIterable<string>));
    assert.equal(producedBytesOf(rewritten.body as AsyncIterable<string>), null);
  });

  it('a streamed answer that fails or is abandoned part-way is not kept', async () => {
    const { cache, lru } = cacheOf(1 << 20);
    const key = cache.keyOf(ctx(), ['read'], body);
    await assert.rejects(text(cache.keep(key, 's', answer(chunks(['<a>'], true)))), /producer failed/);
    assert.equal(cache.lookup(key, 's'), null);
    const sent = cache.keep(key, 's', answer(chunks(['<a>', '<b>', '</a>'])));
    const it = (sent.body as AsyncIterable<string>)[Symbol.asyncIterator]();
    await it.next();
    await it.return?.(); // the client went away
    assert.equal(cache.lookup(key, 's'), null);
    assert.equal(lru.stats().entries, 0, 'neither was kept');
  });

  it('answers above the entry limit are sent whole but not kept; the byte budget evicts the oldest', async () => {
    const { cache, lru } = cacheOf(64 * 1024, 8 * 1024);
    const big = cache.keyOf(ctx(), ['read'], Buffer.from('big'));
    assert.equal(
      (await text(cache.keep(big, 's', answer(chunks(['x'.repeat(5000), 'y'.repeat(5000)]))))).length,
      10_000,
    );
    assert.equal(cache.lookup(big, 's'), null);
    const keys = Array.from({ length: 20 }, (_, i) => cache.keyOf(ctx(), ['read'], Buffer.from(`q${i}`)));
    for (const k of keys) cache.keep(k, 's', answer('z'.repeat(6000)));
    assert.ok(lru.size < 20 && lru.size >= 8, `kept ${lru.size}`);
    assert.equal(cache.lookup(keys[0]!, 's'), null, 'the oldest went first');
    assert.ok(cache.lookup(keys[19]!, 's'));
  });
});
