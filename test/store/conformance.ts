/**
 * The one store conformance suite (DESIGN, Convention 8: one case file, every backend).
 * Every backend test file calls `runStoreConformance` with a function that opens a fresh, empty
 * store; each case gets its own store and cleans it up.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { StoreError, type Store, type StoreErrorCode, type StoreTx } from '../../src/store/store.js';
import type { CalendarSubscription, Lock, PutOptions, Resource, User } from '../../src/store/types.js';

export interface OpenedStore {
  store: Store;
  cleanup(): Promise<void>;
}

const enc = new TextEncoder();
const bytes = (s: string): Uint8Array => enc.encode(s);
/** Compare bytes whatever the concrete class (Buffer, Uint8Array) a driver hands back. */
const same = (actual: Uint8Array, expected: Uint8Array, msg?: string): void =>
  assert.deepEqual(Buffer.from(actual), Buffer.from(expected), msg);

async function rejectsWith(p: Promise<unknown>, code: StoreErrorCode): Promise<void> {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(err instanceof StoreError, `expected a StoreError '${code}', got ${String(err)}`);
    assert.equal(err.code, code);
    return true;
  });
}

/** Byte order of UTF-8, the order paths are listed in. */
const byteOrder = (a: string, b: string): number => Buffer.compare(Buffer.from(a), Buffer.from(b));

const HOME = '/files/alice';

class Boom extends Error {}

export function runStoreConformance(name: string, open: () => Promise<OpenedStore>): void {
  describe(`store conformance: ${name}`, () => {
    let opened: OpenedStore | undefined;
    let store: Store;
    let alice: User;
    let home: Resource;

    const tx = <T>(fn: (t: StoreTx) => Promise<T>, keys: readonly string[] = [HOME]): Promise<T> => store.transaction(keys, fn);
    const put = (path: string, body: string | Uint8Array = 'x', extra: Partial<PutOptions> = {}) =>
      tx((t) => t.putObject(path, {
        ownerId: alice.id, body: typeof body === 'string' ? bytes(body) : body,
        contentType: 'text/plain', etag: `"${path}-${body.length}"`, ...extra,
      }));
    const mkcol = (path: string, origin: string | null = null) =>
      tx((t) => t.createCollection(path, { ownerId: alice.id, origin }));
    const get = async (path: string): Promise<Resource> => {
      const r = await store.getResource(path);
      assert.ok(r, `${path} should exist`);
      return r;
    };
    const lock = (path: string, over: Partial<Lock> = {}): Lock => ({
      token: `urn:uuid:${path}-${Math.random().toString(16).slice(2)}`, path, depth: 0, scope: 'exclusive',
      ownerXml: null, principalId: alice.id, timeoutSeconds: 600, expiresAt: Date.now() + 600_000,
      createdAt: Date.now(), ...over,
    });

    beforeEach(async () => {
      opened = await open();
      store = opened.store;
      [alice, home] = await tx(async (t) => {
        const u = await t.createUser({ name: 'alice', passwordHash: 'hash-a', email: 'alice@example.org', displayName: 'Alice' });
        return [u, await t.createCollection(HOME, { ownerId: u.id, home: true })] as const;
      });
    });

    afterEach(async () => {
      await opened?.cleanup();
      opened = undefined;
    });

    // ---------------------------------------------------------------- object index (CalDAV prefilter)

    describe('object index', () => {
      it('queryObjects: component, uid and the overlap rule firstStart < end AND (lastEnd IS NULL OR lastEnd > start); null = unbounded', async () => {
        await mkcol(`${HOME}/cal`);
        const cal = await get(`${HOME}/cal`);
        const ix = (component: string, uid: string, firstStart: number | null, lastEnd: number | null) => ({ index: { component, uid, firstStart, lastEnd } });
        await put(`${HOME}/cal/a.ics`, 'a', ix('VEVENT', 'a', 100, 200));
        await put(`${HOME}/cal/b.ics`, 'b', ix('VEVENT', 'b', 300, null));
        await put(`${HOME}/cal/c.ics`, 'c', ix('VTODO', 'c', null, null));
        await put(`${HOME}/cal/d.ics`, 'd', ix('VEVENT', 'd', 500, 600));
        await mkcol(`${HOME}/cal/sub`);
        const q = async (query: Parameters<Store['queryObjects']>[1]) => (await store.queryObjects(cal.id, query)).map((r) => r.path.slice(-5));
        assert.deepEqual(await q({}), ['a.ics', 'b.ics', 'c.ics', 'd.ics']);
        assert.deepEqual(await q({ component: 'VEVENT' }), ['a.ics', 'b.ics', 'd.ics']);
        assert.deepEqual(await q({ uid: 'd' }), ['d.ics']);
        assert.deepEqual(await q({ rangeStart: 200, rangeEnd: 300 }), ['c.ics'], 'ends are exclusive on both sides');
        assert.deepEqual(await q({ rangeStart: 150, rangeEnd: 301 }), ['a.ics', 'b.ics', 'c.ics']);
        assert.deepEqual(await q({ component: 'VEVENT', rangeStart: 1000 }), ['b.ics'], 'open-ended');
        assert.deepEqual(await q({ rangeEnd: 120 }), ['a.ics', 'c.ics']);
        const got = await store.getResource(`${HOME}/cal/b.ics`);
        assert.equal(got?.lastEnd, null);
        assert.equal(got?.firstStart, 300);
      });

      it('queryObjects: the overlap rule holds for envelopes of every span class (1 ms … open-ended) and every window boundary', async () => {
        await mkcol(`${HOME}/cal`);
        const cal = await get(`${HOME}/cal`);
        const DAY = 86_400_000;
        const T0 = 1_700_000_000_000;
        // Spans just below, at and above each class limit (1, 8, 64, 512, 4096 days), and unknown ends.
        const spans: (number | null)[] = [0, 1, DAY - 1, DAY, DAY + 1, 8 * DAY, 8 * DAY + 1, 64 * DAY, 64 * DAY + 1, 512 * DAY,
          512 * DAY + 1, 4096 * DAY, 4096 * DAY + 1, 20_000 * DAY, null];
        const objects: { name: string; first: number | null; last: number | null }[] = [];
        let n = 0;
        await tx(async (t) => {
          for (const span of spans) {
            for (const offset of [-5000 * DAY, -70 * DAY, -9 * DAY, -DAY, -1, 0, 1, DAY / 2, 3 * DAY, 100 * DAY]) {
              const first = T0 + offset;
              const last = span === null ? null : first + span;
              const name = `o${n++}.ics`;
              objects.push({ name, first, last });
              await t.putObject(`${HOME}/cal/${name}`, { ownerId: alice.id, body: bytes(name), contentType: 'text/calendar', etag: `"${name}"`, index: { component: 'VEVENT', uid: name, firstStart: first, lastEnd: last } });
            }
          }
          for (const last of [null, T0 - DAY, T0 + DAY]) {
            const name = `o${n++}.ics`;
            objects.push({ name, first: null, last });
            await t.putObject(`${HOME}/cal/${name}`, { ownerId: alice.id, body: bytes(name), contentType: 'text/calendar', etag: `"${name}"`, index: { component: 'VEVENT', uid: name, firstStart: null, lastEnd: last } });
          }
        });
        const windows: [number | undefined, number | undefined][] = [];
        for (const s of [T0 - 6000 * DAY, T0 - 65 * DAY, T0 - DAY, T0 - 1, T0, T0 + 1, T0 + 2 * DAY, undefined]) {
          for (const w of [1, DAY, 7 * DAY, 31 * DAY, 1000 * DAY]) windows.push([s, s === undefined ? T0 + w : s + w]);
          windows.push([s, undefined]);
        }
        for (const [start, end] of windows) {
          const expected = objects.filter((o) => (start === undefined || o.last === null || o.last > start) && (end === undefined || o.first === null || o.first < end))
            .map((o) => `${HOME}/cal/${o.name}`).sort(byteOrder);
          const got = (await store.queryObjects(cal.id, { component: 'VEVENT', ...(start !== undefined ? { rangeStart: start } : {}), ...(end !== undefined ? { rangeEnd: end } : {}) }))
            .map((r) => r.path);
          assert.deepEqual(got, expected, `window [${start === undefined ? '-∞' : start - T0}, ${end === undefined ? '∞' : end - T0})`);
        }
      });

      it('readEventIntervals: triples round-trip bit for bit with their horizon; a rewrite without them removes them', async () => {
        await mkcol(`${HOME}/cal`);
        const triples = Float64Array.from([-86_400_000.5, 1_700_000_000_000, 1, 1_700_000_003_600, 1_700_000_003_601, 0, Number.MAX_SAFE_INTEGER, -0, 1]);
        const ix = (eventIntervals: Float64Array | null, eventIntervalsUntil: number | null) =>
          ({ index: { component: 'VEVENT', uid: String(eventIntervalsUntil), firstStart: 1, lastEnd: 2, eventIntervals, eventIntervalsUntil } });
        const a = (await put(`${HOME}/cal/a.ics`, 'a', ix(triples, null))).resource;
        const b = (await put(`${HOME}/cal/b.ics`, 'b', ix(Float64Array.from([5, 6, 1]), 1_800_000_000_000))).resource;
        const c = (await put(`${HOME}/cal/c.ics`, 'c', ix(null, null))).resource;
        const got = await store.readEventIntervals([a.id, b.id, c.id, 999_999]);
        assert.deepEqual([...got.keys()].sort(), [a.id, b.id].sort());
        assert.deepEqual([...(got.get(a.id)?.intervals ?? [])], [...triples]);
        assert.ok(Object.is(got.get(a.id)?.intervals[7], -0));
        assert.equal(got.get(a.id)?.until, null);
        assert.deepEqual([...(got.get(b.id)?.intervals ?? [])], [5, 6, 1]);
        assert.equal(got.get(b.id)?.until, 1_800_000_000_000);
        await put(`${HOME}/cal/a.ics`, 'a2', ix(null, null));
        assert.equal((await store.readEventIntervals([a.id])).size, 0);
        assert.equal((await store.readEventIntervals([])).size, 0);
      });

      it('getResourcesByPaths: the existing ones, ordered by path, duplicates once', async () => {
        await put(`${HOME}/x`);
        await put(`${HOME}/y`);
        const found = await store.getResourcesByPaths([`${HOME}/y`, `${HOME}/nope`, `${HOME}/x`, `${HOME}/y`]);
        assert.deepEqual(found.map((r) => r.path), [`${HOME}/x`, `${HOME}/y`]);
        assert.deepEqual(await store.getResourcesByPaths([]), []);
      });
    });

    // ---------------------------------------------------------------- users

    describe('users', () => {
      it('users: createUser returns the stored user, found by name and by id', async () => {
        const before = Date.now();
        const bob = await tx((t) => t.createUser({ name: 'bob', passwordHash: 'h-b' }));
        assert.equal(bob.name, 'bob');
        assert.equal(bob.passwordHash, 'h-b');
        assert.equal(bob.email, null);
        assert.equal(bob.displayName, null);
        assert.ok(bob.createdAt >= before && bob.createdAt <= Date.now());
        assert.notEqual(bob.id, alice.id);
        assert.deepEqual(await store.getUserByName('bob'), bob);
        assert.deepEqual(await store.getUserById(bob.id), bob);
        assert.deepEqual(await store.getUserByName('alice'), alice);
        assert.equal(alice.email, 'alice@example.org');
        assert.equal(alice.displayName, 'Alice');
        assert.equal(await store.getUserByName('nobody'), null);
        assert.equal(await store.getUserById(987654), null);
      });

      it("users: a duplicate name is StoreError 'exists' and names are case-sensitive", async () => {
        await rejectsWith(tx((t) => t.createUser({ name: 'alice', passwordHash: 'x' })), 'exists');
        const upper = await tx((t) => t.createUser({ name: 'Alice', passwordHash: 'x' }));
        assert.notEqual(upper.id, alice.id);
        assert.equal((await store.getUserByName('alice'))?.id, alice.id);
      });

      it('users: listUsers lists every user ordered by name in byte order, the same on every backend', async () => {
        const names = ['zed', 'Bob', 'alice', 'émile', 'Zoë', 'bob'];
        await tx(async (t) => {
          for (const n of names) if (n !== 'alice') await t.createUser({ name: n, passwordHash: 'x' });
        });
        const listed = (await store.listUsers()).map((u) => u.name);
        assert.deepEqual(listed, [...names].sort(byteOrder));
      });

      it('users: getUsersByEmails finds users by e-mail whatever the case, each once', async () => {
        const bob = await tx((t) => t.createUser({ name: 'bob', passwordHash: 'h', email: 'Bob@Example.COM' }));
        await tx((t) => t.createUser({ name: 'carol', passwordHash: 'h', email: null }));
        assert.deepEqual((await store.getUsersByEmails(['bob@example.com', 'BOB@example.com', 'nobody@example.com'])).map((u) => u.id), [bob.id]);
        assert.deepEqual(await store.getUsersByEmails([]), []);
      });

      it('users: updateUser changes only the given fields; null clears', async () => {
        await tx((t) => t.updateUser(alice.id, { passwordHash: 'new-hash' }));
        let u = await store.getUserById(alice.id);
        assert.deepEqual(u, { ...alice, passwordHash: 'new-hash' });
        await tx((t) => t.updateUser(alice.id, { email: null, displayName: 'Alice Ü' }));
        u = await store.getUserById(alice.id);
        assert.deepEqual(u, { ...alice, passwordHash: 'new-hash', email: null, displayName: 'Alice Ü' });
      });

      it('users: deleteUser removes the user, their resources, properties, changes and locks; others stay', async () => {
        const bob = await tx((t) => t.createUser({ name: 'bob', passwordHash: 'x' }));
        const bobHome = await tx((t) => t.createCollection('/files/bob', { ownerId: bob.id, home: true }));
        const cal = await mkcol(`${HOME}/cal`);
        const obj = (await put(`${HOME}/cal/e.ics`, 'BEGIN:VCALENDAR')).resource;
        await tx((t) => t.patchProperties(obj.id, [{ name: '{urn:x}p', xml: '<p xmlns="urn:x"/>' }], []));
        const bobsLockOnAlice = lock(`${HOME}/cal/e.ics`, { principalId: bob.id });
        const alicesLockOnBob = lock('/files/bob', { principalId: alice.id });
        await tx(async (t) => {
          await t.createLock(bobsLockOnAlice);
          await t.createLock(alicesLockOnBob);
        });
        const bobObj = (await tx((t) => t.putObject('/files/bob/b.txt', {
          ownerId: bob.id, body: bytes('b'), contentType: null, etag: '"b"',
        }))).resource;

        await tx((t) => t.deleteUser(alice.id));

        assert.equal(await store.getUserById(alice.id), null);
        assert.equal(await store.getUserByName('alice'), null);
        assert.deepEqual((await store.listUsers()).map((u) => u.name), ['bob']);
        for (const id of [home.id, cal.id, obj.id]) assert.equal(await store.getResourceById(id), null);
        assert.equal(await store.getResource(HOME), null);
        assert.deepEqual(await store.listDescendants(HOME), []);
        assert.deepEqual(await store.getProperties(obj.id), []);
        assert.deepEqual(await store.changesSince(home.id, 0, 100), []);
        assert.deepEqual(await store.changesSince(cal.id, 0, 100), []);
        const now = Date.now();
        assert.equal(await store.getLock(alicesLockOnBob.token, now), null, 'locks the user held are gone');
        assert.equal(await store.getLock(bobsLockOnAlice.token, now), null, 'locks on the user\'s resources are gone');
        assert.deepEqual(await store.locksWithin(HOME, now), []);
        assert.ok(await store.getResourceById(bobHome.id));
        assert.ok(await store.getResourceById(bobObj.id));
        assert.equal((await store.getUserById(bob.id))?.name, 'bob');
      });

      it("users: deleteUser records a delete in the feed of another user's collection holding their object (DESIGN: one change feed)", async () => {
        const bob = await tx((t) => t.createUser({ name: 'bob', passwordHash: 'x' }));
        const shared = await tx(async (t) => {
          await t.createCollection('/files/bob', { ownerId: bob.id, home: true });
          return t.createCollection('/files/bob/shared', { ownerId: bob.id });
        });
        await tx((t) => t.putObject('/files/bob/shared/from-alice.txt', {
          ownerId: alice.id, body: bytes('hi'), contentType: null, etag: '"1"',
        }));
        await tx((t) => t.deleteUser(alice.id));
        assert.equal(await store.getResource('/files/bob/shared/from-alice.txt'), null);
        const feed = await store.changesSince(shared.id, 0, 100);
        assert.deepEqual(feed.map((c) => [c.seq, c.name, c.op]), [[1, 'from-alice.txt', 'put'], [2, 'from-alice.txt', 'delete']]);
        assert.equal((await get('/files/bob/shared')).syncSeq, 2);
      });
    });

    // ---------------------------------------------------------------- collections

    describe('collections', () => {
      it('collections: a home collection has no parent and starts with an empty feed', async () => {
        assert.equal(home.path, HOME);
        assert.equal(home.parentId, null);
        assert.equal(home.isCollection, true);
        assert.equal(home.collectionType, '');
        assert.equal(home.ownerId, alice.id);
        assert.equal(home.syncSeq, 0);
        assert.equal(home.size, 0);
        assert.equal(home.uid, null);
        assert.equal(await store.oldestSyncSeq(home.id), 0);
        assert.deepEqual(await store.changesSince(home.id, 0, 100), []);
        assert.deepEqual(await store.getResource(HOME), home);
        assert.deepEqual(await store.getResourceById(home.id), home);
      });

      it('collections: a nested collection points at its parent and keeps its type', async () => {
        const cal = await tx((t) => t.createCollection(`${HOME}/work`, { ownerId: alice.id, collectionType: 'calendar' }));
        assert.equal(cal.parentId, home.id);
        assert.equal(cal.isCollection, true);
        assert.equal(cal.collectionType, 'calendar');
        assert.equal(cal.syncSeq, 0);
        const deeper = await mkcol(`${HOME}/work/deeper`);
        assert.equal(deeper.parentId, cal.id);
        assert.deepEqual(await store.getResource(`${HOME}/work`), { ...cal, syncSeq: 1, modifiedAt: (await get(`${HOME}/work`)).modifiedAt });
      });

      it("collections: a missing parent is StoreError 'conflict'; an object as parent too", async () => {
        await rejectsWith(mkcol(`${HOME}/missing/child`), 'conflict');
        await put(`${HOME}/file.txt`);
        await rejectsWith(mkcol(`${HOME}/file.txt/child`), 'conflict');
        assert.equal(await store.getResource(`${HOME}/missing/child`), null);
      });

      it("collections: an existing path is StoreError 'exists' (collection or object, home or not)", async () => {
        await mkcol(`${HOME}/c`);
        await put(`${HOME}/o.txt`);
        await rejectsWith(mkcol(`${HOME}/c`), 'exists');
        await rejectsWith(mkcol(`${HOME}/o.txt`), 'exists');
        await rejectsWith(tx((t) => t.createCollection(HOME, { ownerId: alice.id, home: true })), 'exists');
      });

      it('collections: setCollectionType changes the type and nothing in the feed', async () => {
        const c = await mkcol(`${HOME}/book`);
        const seq = (await get(HOME)).syncSeq;
        await tx((t) => t.setCollectionType(c.id, 'addressbook'));
        assert.equal((await get(`${HOME}/book`)).collectionType, 'addressbook');
        await tx((t) => t.setCollectionType(c.id, ''));
        assert.equal((await get(`${HOME}/book`)).collectionType, '');
        assert.equal((await get(HOME)).syncSeq, seq);
      });

      it('metaSeq: dead-property writes bump the resource and its collection, type changes the collection, object writes neither (sync_seq covers those)', async () => {
        const c = await mkcol(`${HOME}/cal`);
        const o = (await put(`${HOME}/cal/a.ics`)).resource;
        const other = await mkcol(`${HOME}/other`);
        const state = async (): Promise<number[]> =>
          [(await get(`${HOME}/cal`)).metaSeq, (await get(`${HOME}/cal/a.ics`)).metaSeq, (await get(`${HOME}/other`)).metaSeq];
        const [c0, o0, x0] = await state();
        await tx((t) => t.patchProperties(o.id, [{ name: '{urn:x}p', xml: '<p xmlns="urn:x"/>' }], []));
        assert.deepEqual(await state(), [c0! + 1, o0! + 1, x0]);
        await tx((t) => t.patchProperties(c.id, [], ['{urn:x}q']));
        assert.deepEqual(await state(), [c0! + 2, o0! + 1, x0]);
        await tx((t) => t.setCollectionType(c.id, 'calendar'));
        assert.deepEqual(await state(), [c0! + 3, o0! + 1, x0]);
        const seq = (await get(`${HOME}/cal`)).syncSeq;
        await put(`${HOME}/cal/b.ics`);
        assert.deepEqual(await state(), [c0! + 3, o0! + 1, x0], 'an object write is in the feed, not in metaSeq');
        assert.ok((await get(`${HOME}/cal`)).syncSeq > seq);
        assert.equal(other.metaSeq, x0);
        // A member collection's feed shows in its etag and sync token: its parent's metaSeq moves.
        const home = (await get(HOME)).metaSeq;
        await put(`${HOME}/other/x.txt`);
        assert.equal((await get(HOME)).metaSeq, home + 1);
        assert.equal((await get(`${HOME}/other`)).metaSeq, x0);
      });

      it('collections: ids are never reused, so a sync token naming a deleted collection stays invalid (DESIGN: one change feed)', async () => {
        const old = await mkcol(`${HOME}/cal`);
        await tx((t) => t.deleteResource(`${HOME}/cal`));
        const again = await mkcol(`${HOME}/cal`);
        assert.notEqual(again.id, old.id);
        const o1 = (await put(`${HOME}/a.txt`)).resource;
        await tx((t) => t.deleteResource(`${HOME}/a.txt`));
        const o2 = (await put(`${HOME}/a.txt`)).resource;
        assert.notEqual(o2.id, o1.id);
        const bob = await tx((t) => t.createUser({ name: 'bob', passwordHash: 'x' }));
        await tx((t) => t.deleteUser(bob.id));
        const carol = await tx((t) => t.createUser({ name: 'carol', passwordHash: 'x' }));
        assert.notEqual(carol.id, bob.id, 'a principal id names one principal forever');
      });
    });

    // ---------------------------------------------------------------- objects

    describe('objects', () => {
      it('putObject: create then replace (created flag, same id, metadata and index replaced)', async () => {
        const before = Date.now();
        const first = await tx((t) => t.putObject(`${HOME}/e.ics`, {
          ownerId: alice.id, body: bytes('BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n'), contentType: 'text/calendar; charset=utf-8',
          etag: '"v1"', index: { uid: 'uid-1@example.org', component: 'VEVENT', firstStart: 1_700_000_000_000, lastEnd: 1_700_003_600_000 },
        }));
        assert.equal(first.created, true);
        const r = first.resource;
        assert.equal(r.path, `${HOME}/e.ics`);
        assert.equal(r.parentId, home.id);
        assert.equal(r.isCollection, false);
        assert.equal(r.ownerId, alice.id);
        assert.equal(r.contentType, 'text/calendar; charset=utf-8');
        assert.equal(r.size, 32);
        assert.equal(r.etag, '"v1"');
        assert.equal(r.uid, 'uid-1@example.org');
        assert.equal(r.component, 'VEVENT');
        assert.equal(r.firstStart, 1_700_000_000_000);
        assert.equal(r.lastEnd, 1_700_003_600_000);
        assert.ok(r.createdAt >= before && r.modifiedAt >= r.createdAt);
        assert.deepEqual(await store.getResource(r.path), r);
        assert.deepEqual(await store.getResourceById(r.id), r);

        const second = await tx((t) => t.putObject(`${HOME}/e.ics`, {
          ownerId: alice.id, body: bytes('v2'), contentType: 'text/vcard', etag: '"v2"',
        }));
        assert.equal(second.created, false);
        const r2 = second.resource;
        assert.equal(r2.id, r.id);
        assert.equal(r2.createdAt, r.createdAt);
        assert.ok(r2.modifiedAt >= r.modifiedAt);
        assert.equal(r2.size, 2);
        assert.equal(r2.etag, '"v2"');
        assert.equal(r2.contentType, 'text/vcard');
        assert.deepEqual([r2.uid, r2.component, r2.firstStart, r2.lastEnd], [null, null, null, null], 'omitted index is cleared');
        same(await store.readBody(r.id), bytes('v2'));
        assert.deepEqual(await store.getResource(r.path), r2);
      });

      it('putObject: index columns round-trip nulls, far-future, pre-1970 and unicode values', async () => {
        const cases = [
          { uid: null, component: null, firstStart: null, lastEnd: null },
          { uid: 'ü-ñ-😀', component: 'VTODO', firstStart: -86_400_000 * 365 * 100, lastEnd: 253_402_300_799_999 },
          { uid: 'x', component: 'VCARD', firstStart: 0, lastEnd: null },
        ];
        for (const [i, index] of cases.entries()) {
          const { resource } = await put(`${HOME}/i${i}`, 'b', { index });
          const back = await get(`${HOME}/i${i}`);
          for (const r of [resource, back]) {
            assert.deepEqual([r.uid, r.component, r.firstStart, r.lastEnd], [index.uid, index.component, index.firstStart, index.lastEnd]);
          }
        }
      });

      it('putObject: bodies round-trip byte for byte (binary, empty, plain Uint8Array, views with an offset)', async () => {
        const all = new Uint8Array(256 * 4).map((_, i) => i % 256);
        const backing = Buffer.from('0123456789abcdef');
        const bodies: [string, Uint8Array][] = [
          ['binary', all],
          ['empty', new Uint8Array(0)],
          ['empty-buffer', Buffer.alloc(0)],
          ['nul-and-utf8', bytes('a\u0000b\u00e9\u{1F600}')],
          ['view', backing.subarray(4, 9)],
          ['u8-view', new Uint8Array(backing.buffer, backing.byteOffset + 10, 3)],
          ['large', new Uint8Array(1024 * 1024).map((_, i) => (i * 7) % 251)],
        ];
        for (const [n, body] of bodies) {
          const { resource } = await put(`${HOME}/${n}.bin`, body, { contentType: 'application/octet-stream' });
          assert.equal(resource.size, body.byteLength, `${n}: size`);
          const back = await store.readBody(resource.id);
          assert.ok(back instanceof Uint8Array, `${n}: readBody returns bytes`);
          same(back, body, `${n}: body`);
          same(await tx((t) => t.readBody(resource.id)), body, `${n}: body inside a transaction`);
        }
        const nulType = await put(`${HOME}/no-type`, 'x', { contentType: null });
        assert.equal(nulType.resource.contentType, null);
      });

      it("putObject: a missing parent, an object as parent or a collection at the path is StoreError 'conflict'", async () => {
        await rejectsWith(put(`${HOME}/nope/e.ics`), 'conflict');
        await put(`${HOME}/file`);
        await rejectsWith(put(`${HOME}/file/e.ics`), 'conflict');
        await mkcol(`${HOME}/coll`);
        await rejectsWith(put(`${HOME}/coll`), 'conflict');
        assert.equal((await get(`${HOME}/coll`)).isCollection, true);
      });

      it("readBody: an unknown id is StoreError 'not-found'", async () => {
        await rejectsWith(store.readBody(999_999), 'not-found');
      });

      it('listChildren: direct members only, ordered by path in byte order', async () => {
        const names = ['b', 'a.ics', 'B.ics', 'b c', 'b-1.ics', 'é.ics', '~.ics', 'b0', 'Z', '_'];
        await mkcol(`${HOME}/b`);
        for (const n of names) if (n !== 'b') await put(`${HOME}/${n}`);
        await put(`${HOME}/b/inner.ics`);
        const kids = await store.listChildren(home.id);
        assert.deepEqual(kids.map((k) => k.path), names.map((n) => `${HOME}/${n}`).sort(byteOrder));
        for (const k of kids) assert.equal(k.parentId, home.id);
        assert.deepEqual((await store.listChildren((await get(`${HOME}/b`)).id)).map((k) => k.path), [`${HOME}/b/inner.ics`]);
        const empty = await mkcol(`${HOME}/empty`);
        assert.deepEqual(await store.listChildren(empty.id), []);
      });

      it('listChildrenPage: pages through listChildren in byte order, no member twice or missing', async () => {
        const names = ['b', 'a.ics', 'B.ics', 'b c', 'b-1.ics', 'é.ics', '~.ics', 'b0', 'Z', '_', '\u{1F600}.ics', '\uFFFD.ics'];
        await mkcol(`${HOME}/b`);
        for (const n of names) if (n !== 'b') await put(`${HOME}/${n}`);
        await put(`${HOME}/b/inner.ics`);
        const all = (await store.listChildren(home.id)).map((k) => k.path);
        for (const size of [1, 3, 5, 100]) {
          const paged: string[] = [];
          let after: string | null = null;
          for (let guard = 0; guard < 100; guard++) {
            const page: Resource[] = await store.listChildrenPage(home.id, after, size);
            assert.ok(page.length <= size, `page of ${size} holds at most ${size}`);
            paged.push(...page.map((k) => k.path));
            if (page.length < size) break;
            after = page[page.length - 1]?.path ?? null;
          }
          assert.deepEqual(paged, all, `pages of ${size}`);
        }
        assert.deepEqual(await store.listChildrenPage(home.id, all[all.length - 1] ?? null, 10), []);
      });

      it('readBodies: the bodies of existing ids in one call, unknown ids left out, duplicates once', async () => {
        const ids: number[] = [];
        for (let i = 0; i < 620; i++) ids.push((await put(`${HOME}/r${i}.bin`, `body ${i}`, { contentType: 'application/octet-stream' })).resource.id);
        const bodies = await store.readBodies([...ids, ids[0] ?? 0, 999_999]);
        assert.equal(bodies.size, ids.length);
        ids.forEach((id, i) => same(bodies.get(id) ?? new Uint8Array(), bytes(`body ${i}`), `body ${i}`));
        assert.equal(bodies.has(999_999), false);
        assert.equal((await store.readBodies([])).size, 0);
      });

      it('listDescendants: strictly below the path, parents before children; `/a/b c` is not below `/a/b`', async () => {
        await mkcol(`${HOME}/b`);
        await mkcol(`${HOME}/b/c`);
        await put(`${HOME}/b/c/d.ics`);
        await put(`${HOME}/b/c d.ics`);
        await put(`${HOME}/b/x.ics`);
        for (const n of ['b c', 'b-x', 'b.x', 'b0', 'bc', 'a', 'b!']) await put(`${HOME}/${n}`);
        const below = (await store.listDescendants(`${HOME}/b`)).map((r) => r.path);
        assert.deepEqual(below, [`${HOME}/b/c`, `${HOME}/b/c d.ics`, `${HOME}/b/c/d.ics`, `${HOME}/b/x.ics`]);
        const seen = new Set<string>();
        for (const p of below) {
          const parent = p.slice(0, p.lastIndexOf('/'));
          if (parent !== `${HOME}/b`) assert.ok(seen.has(parent), `${parent} listed before ${p}`);
          seen.add(p);
        }
        assert.deepEqual(await store.listDescendants(`${HOME}/b/x.ics`), []);
        assert.deepEqual(await store.listDescendants(`${HOME}/nothing`), []);
        const all = (await store.listDescendants(HOME)).map((r) => r.path);
        assert.deepEqual(all, [...all].sort(byteOrder));
        assert.equal(all.length, 12);
      });
    });

    // ---------------------------------------------------------------- delete and move

    describe('delete and move', () => {
      it('deleteResource: an object goes with its properties and locks; the parent feed records the delete', async () => {
        const { resource } = await put(`${HOME}/o.txt`);
        await tx(async (t) => {
          await t.patchProperties(resource.id, [{ name: '{urn:x}a', xml: '<a xmlns="urn:x">1</a>' }], []);
          await t.createLock(lock(`${HOME}/o.txt`));
        });
        await tx((t) => t.deleteResource(`${HOME}/o.txt`, 'device-1'));
        assert.equal(await store.getResource(`${HOME}/o.txt`), null);
        assert.equal(await store.getResourceById(resource.id), null);
        assert.deepEqual(await store.getProperties(resource.id), []);
        assert.deepEqual(await store.locksCovering(`${HOME}/o.txt`, Date.now()), []);
        const last = (await store.changesSince(home.id, 0, 100)).at(-1);
        assert.deepEqual([last?.name, last?.op, last?.origin], ['o.txt', 'delete', 'device-1']);
      });

      it('deleteResource: recursive — descendants, their properties, feeds and locks are gone; `/a/b c` stays', async () => {
        const b = await mkcol(`${HOME}/b`);
        const c = await mkcol(`${HOME}/b/c`);
        const d = (await put(`${HOME}/b/c/d.ics`)).resource;
        const sib = (await put(`${HOME}/b c`)).resource;
        const sibLock = lock(`${HOME}/b c`);
        await tx(async (t) => {
          for (const r of [b, c, d, sib]) await t.patchProperties(r.id, [{ name: '{urn:x}p', xml: `<p xmlns="urn:x">${r.id}</p>` }], []);
          await t.createLock(lock(`${HOME}/b`, { depth: 'infinity' }));
          await t.createLock(lock(`${HOME}/b/c/d.ics`));
          await t.createLock(sibLock);
        });
        const seqBefore = (await get(HOME)).syncSeq;
        await tx((t) => t.deleteResource(`${HOME}/b`));
        for (const r of [b, c, d]) {
          assert.equal(await store.getResourceById(r.id), null);
          assert.deepEqual(await store.getProperties(r.id), []);
          assert.deepEqual(await store.changesSince(r.id, 0, 100), []);
        }
        assert.deepEqual(await store.listDescendants(`${HOME}/b`), []);
        const now = Date.now();
        assert.deepEqual(await store.locksWithin(`${HOME}/b`, now), []);
        assert.deepEqual((await store.locksWithin(HOME, now)).map((l) => l.token), [sibLock.token]);
        assert.ok(await store.getResourceById(sib.id));
        assert.equal((await store.getProperties(sib.id)).length, 1);
        const feed = await store.changesSince(home.id, seqBefore, 100);
        assert.deepEqual(feed.map((ch) => [ch.seq, ch.name, ch.op]), [[seqBefore + 1, 'b/', 'delete']], 'one delete, for the member itself (a collection\'s name ends in /)');
        assert.equal((await get(HOME)).syncSeq, seqBefore + 1);
      });

      it("deleteResource: a missing path is StoreError 'not-found'", async () => {
        await rejectsWith(tx((t) => t.deleteResource(`${HOME}/ghost`)), 'not-found');
      });

      it('moveResource: a rename keeps id, body and properties and records delete + put in the feed', async () => {
        const { resource } = await put(`${HOME}/old.ics`, 'body');
        await tx((t) => t.patchProperties(resource.id, [{ name: '{urn:x}p', xml: '<p xmlns="urn:x"/>' }], []));
        const seq = (await get(HOME)).syncSeq;
        const moved = await tx((t) => t.moveResource(`${HOME}/old.ics`, `${HOME}/new.ics`, 'dev'));
        assert.equal(moved.id, resource.id);
        assert.equal(moved.path, `${HOME}/new.ics`);
        assert.equal(moved.parentId, home.id);
        assert.equal(moved.etag, resource.etag);
        assert.equal(await store.getResource(`${HOME}/old.ics`), null);
        same(await store.readBody(moved.id), bytes('body'));
        assert.deepEqual((await store.getProperties(moved.id)).map((p) => p.name), ['{urn:x}p']);
        const feed = await store.changesSince(home.id, seq, 100);
        assert.deepEqual(feed.map((c) => [c.seq, c.name, c.op, c.origin]),
          [[seq + 1, 'old.ics', 'delete', 'dev'], [seq + 2, 'new.ics', 'put', 'dev']]);
      });

      it('moveResource: a subtree moves with paths rewritten, ids kept, source locks removed, `/a/src c` untouched', async () => {
        const dst = await mkcol(`${HOME}/dst`);
        const src = await mkcol(`${HOME}/src`);
        const sub = await mkcol(`${HOME}/src/sub`);
        const deep = (await put(`${HOME}/src/sub/deep.ics`, 'deep')).resource;
        const top = (await put(`${HOME}/src/top.ics`, 'top')).resource;
        const lookalike = (await put(`${HOME}/src c`, 'other')).resource;
        const lookalikeLock = lock(`${HOME}/src c`);
        await tx(async (t) => {
          await t.patchProperties(deep.id, [{ name: '{urn:x}p', xml: '<p xmlns="urn:x">deep</p>' }], []);
          await t.createLock(lock(`${HOME}/src`, { depth: 'infinity' }));
          await t.createLock(lock(`${HOME}/src/sub/deep.ics`));
          await t.createLock(lookalikeLock);
        });
        const subFeed = await store.changesSince(sub.id, 0, 100);
        const homeSeq = (await get(HOME)).syncSeq;

        const moved = await tx((t) => t.moveResource(`${HOME}/src`, `${HOME}/dst/moved`));
        assert.equal(moved.id, src.id);
        assert.equal(moved.path, `${HOME}/dst/moved`);
        assert.equal(moved.parentId, dst.id);
        assert.deepEqual((await store.listDescendants(`${HOME}/dst/moved`)).map((r) => [r.id, r.path, r.parentId]), [
          [sub.id, `${HOME}/dst/moved/sub`, src.id],
          [deep.id, `${HOME}/dst/moved/sub/deep.ics`, sub.id],
          [top.id, `${HOME}/dst/moved/top.ics`, src.id],
        ]);
        assert.deepEqual(await store.listDescendants(`${HOME}/src`), []);
        assert.equal(await store.getResource(`${HOME}/src`), null);
        same(await store.readBody(deep.id), bytes('deep'));
        assert.equal((await store.getProperties(deep.id))[0]?.xml, '<p xmlns="urn:x">deep</p>');
        assert.deepEqual(await store.changesSince(sub.id, 0, 100), subFeed, 'a moved collection keeps its own feed');
        const lk = await get(`${HOME}/src c`);
        assert.deepEqual([lk.id, lk.path], [lookalike.id, `${HOME}/src c`]);
        const now = Date.now();
        assert.deepEqual(await store.locksWithin(`${HOME}/src`, now), []);
        assert.deepEqual(await store.locksWithin(`${HOME}/dst`, now), [], 'locks do not travel with a move');
        assert.deepEqual((await store.locksWithin(HOME, now)).map((l) => l.token), [lookalikeLock.token]);
        // dst changed (it gained `moved/`), so the home's feed records it too (RFC 6578 §3.5.1).
        assert.deepEqual((await store.changesSince(home.id, homeSeq, 100)).map((c) => [c.name, c.op]), [['src/', 'delete'], ['dst/', 'put']]);
        assert.deepEqual((await store.changesSince(dst.id, 0, 100)).map((c) => [c.seq, c.name, c.op]), [[1, 'moved/', 'put']]);
      });

      it('change feed: a change in a collection records the collection in its parent\'s feed, up to the home; a property patch of a collection too (RFC 6578 §3.5.1)', async () => {
        const outer = await mkcol(`${HOME}/outer`);
        const inner = await mkcol(`${HOME}/outer/inner`);
        const [homeSeq, outerSeq] = [(await get(HOME)).syncSeq, (await get(`${HOME}/outer`)).syncSeq];
        await put(`${HOME}/outer/inner/x.ics`, 'x', { origin: 'dev' });
        assert.deepEqual((await store.changesSince(inner.id, 0, 10)).map((c) => [c.name, c.op, c.origin]), [['x.ics', 'put', 'dev']]);
        assert.deepEqual((await store.changesSince(outer.id, outerSeq, 10)).map((c) => [c.name, c.op, c.origin]), [['inner/', 'put', 'dev']]);
        assert.deepEqual((await store.changesSince(home.id, homeSeq, 10)).map((c) => [c.name, c.op, c.origin]), [['outer/', 'put', 'dev']]);
        const seqAfterPut = (await get(HOME)).syncSeq;
        await tx((t) => t.patchProperties(outer.id, [{ name: '{DAV:}displayname', xml: '<displayname xmlns="DAV:">Outer</displayname>' }], []));
        assert.deepEqual((await store.changesSince(home.id, seqAfterPut, 10)).map((c) => [c.name, c.op]), [['outer/', 'put']]);
        assert.equal((await get(`${HOME}/outer`)).syncSeq, outerSeq + 1, 'a property patch does not move the collection\'s own feed');
      });

      it("moveResource: an existing destination is 'exists', a missing source 'not-found', a missing destination parent 'conflict'", async () => {
        await put(`${HOME}/a`);
        await put(`${HOME}/b`);
        await rejectsWith(tx((t) => t.moveResource(`${HOME}/a`, `${HOME}/b`)), 'exists');
        await rejectsWith(tx((t) => t.moveResource(`${HOME}/ghost`, `${HOME}/c`)), 'not-found');
        await rejectsWith(tx((t) => t.moveResource(`${HOME}/a`, `${HOME}/none/c`)), 'conflict');
        assert.ok(await store.getResource(`${HOME}/a`));
      });

      it("moveResource: moving a collection into its own subtree is StoreError 'conflict' and changes nothing", async () => {
        await mkcol(`${HOME}/a`);
        await mkcol(`${HOME}/a/b`);
        await rejectsWith(tx((t) => t.moveResource(`${HOME}/a`, `${HOME}/a/b/c`)), 'conflict');
        assert.deepEqual((await store.listDescendants(HOME)).map((r) => r.path), [`${HOME}/a`, `${HOME}/a/b`]);
      });
    });

    // ---------------------------------------------------------------- dead properties

    describe('dead properties', () => {
      it('properties: set and remove round-trip unicode, namespaces and markup; listed by name in byte order', async () => {
        const { resource } = await put(`${HOME}/p.txt`);
        const props = [
          { name: '{DAV:}displayname', xml: '<D:displayname xmlns:D="DAV:">Füße 😀 &amp; &lt;tag&gt;</D:displayname>' },
          { name: '{http://apple.com/ns/ical/}calendar-color', xml: '<calendar-color xmlns="http://apple.com/ns/ical/">#FF0000FF</calendar-color>' },
          { name: '{urn:x}Zeta', xml: '<x:Zeta xmlns:x="urn:x"><x:inner a="1"/></x:Zeta>' },
          { name: '{urn:x}alpha', xml: '<alpha xmlns="urn:x"/>' },
          { name: '{urn:ü}ñ', xml: '<ñ xmlns="urn:ü">ü</ñ>' },
          { name: '{}no-namespace', xml: '<no-namespace xmlns="">v</no-namespace>' },
        ];
        await tx((t) => t.patchProperties(resource.id, props, []));
        const sorted = [...props].sort((a, b) => byteOrder(a.name, b.name));
        assert.deepEqual(await store.getProperties(resource.id), sorted);

        await tx((t) => t.patchProperties(resource.id,
          [{ name: '{urn:x}alpha', xml: '<alpha xmlns="urn:x">replaced</alpha>' }],
          ['{DAV:}displayname', '{urn:x}not-there']));
        const after = await store.getProperties(resource.id);
        assert.deepEqual(after.map((p) => p.name), sorted.map((p) => p.name).filter((n) => n !== '{DAV:}displayname'));
        assert.equal(after.find((p) => p.name === '{urn:x}alpha')?.xml, '<alpha xmlns="urn:x">replaced</alpha>');
        assert.deepEqual(await store.getProperties(home.id), [], 'properties belong to one resource');
      });

      it('properties: a patch is atomic — a transaction that fails after patching leaves the old set', async () => {
        const { resource } = await put(`${HOME}/p.txt`);
        const original = [{ name: '{urn:x}a', xml: '<a xmlns="urn:x">1</a>' }, { name: '{urn:x}b', xml: '<b xmlns="urn:x">2</b>' }];
        await tx((t) => t.patchProperties(resource.id, original, []));
        await assert.rejects(tx(async (t) => {
          await t.patchProperties(resource.id, [{ name: '{urn:x}a', xml: '<a xmlns="urn:x">changed</a>' }, { name: '{urn:x}c', xml: '<c xmlns="urn:x"/>' }], ['{urn:x}b']);
          assert.equal((await t.getProperties(resource.id)).length, 2, 'the transaction sees its own patch');
          throw new Boom('abort');
        }), Boom);
        assert.deepEqual(await store.getProperties(resource.id), original);
      });
    });

    // ---------------------------------------------------------------- locks

    describe('locks', () => {
      it('locks: createLock / getLock round-trip every field', async () => {
        const now = Date.now();
        const l = lock(`${HOME}/doc`, {
          token: 'opaquelocktoken:1b4e28ba-2fa1-11d2-883f-0016d3cca427', depth: 'infinity', scope: 'shared',
          ownerXml: '<D:owner xmlns:D="DAV:"><D:href>mailto:ålice@example.org</D:href></D:owner>',
          timeoutSeconds: null, expiresAt: now + 10 * 365 * 86_400_000, createdAt: now,
        });
        await tx((t) => t.createLock(l));
        assert.deepEqual(await store.getLock(l.token, now), l);
        const l0 = lock(`${HOME}/doc2`, { depth: 0, scope: 'exclusive', timeoutSeconds: 3600 });
        await tx((t) => t.createLock(l0));
        assert.deepEqual(await store.getLock(l0.token, now), l0);
        assert.equal(await store.getLock('urn:uuid:unknown', now), null);
      });

      it('locks: locksCovering sees a lock on the path and depth-infinity locks on ancestors, not depth-0 ones', async () => {
        const now = Date.now();
        const inf = lock(`${HOME}/a`, { depth: 'infinity' });
        const zero = lock(`${HOME}/a/b`, { depth: 0 });
        const self = lock(`${HOME}/a/b/c.ics`, { depth: 0 });
        const lookalike = lock(`${HOME}/a/b c`, { depth: 'infinity' });
        await tx(async (t) => {
          for (const l of [inf, zero, self, lookalike]) await t.createLock(l);
        });
        const tokens = async (p: string) => (await store.locksCovering(p, now)).map((l) => l.token).sort();
        assert.deepEqual(await tokens(`${HOME}/a/b/c.ics`), [inf.token, self.token].sort());
        assert.deepEqual(await tokens(`${HOME}/a/b/other.ics`), [inf.token]);
        assert.deepEqual(await tokens(`${HOME}/a/b`), [inf.token, zero.token].sort());
        assert.deepEqual(await tokens(`${HOME}/a/b c/x`), [inf.token, lookalike.token].sort());
        assert.deepEqual(await tokens(`${HOME}/a`), [inf.token]);
        assert.deepEqual(await tokens(HOME), []);
        assert.deepEqual(await tokens(`${HOME}/ab`), []);
        assert.deepEqual(await tokens('/files'), []);
      });

      it('locks: expired locks are invisible to getLock, locksCovering and locksWithin', async () => {
        const now = Date.now();
        const expired = lock(`${HOME}/x`, { depth: 'infinity', expiresAt: now - 1 });
        const atNow = lock(`${HOME}/y`, { expiresAt: now });
        const live = lock(`${HOME}/z`, { expiresAt: now + 1 });
        await tx(async (t) => {
          for (const l of [expired, atNow, live]) await t.createLock(l);
        });
        assert.equal(await store.getLock(expired.token, now), null);
        assert.equal(await store.getLock(atNow.token, now), null, 'a lock expiring at `now` has expired');
        assert.deepEqual(await store.getLock(live.token, now), live);
        assert.deepEqual(await store.locksCovering(`${HOME}/x/child`, now), []);
        assert.deepEqual(await store.locksCovering(`${HOME}/y`, now), []);
        assert.deepEqual((await store.locksWithin(HOME, now)).map((l) => l.token), [live.token]);
        assert.deepEqual(await store.getLock(expired.token, now - 10), expired, 'seen from before its expiry');
      });

      it('locks: locksWithin lists locks rooted at the path or below it, not at `/a/b c` or ancestors', async () => {
        const now = Date.now();
        const ls = [lock(`${HOME}/a/b`), lock(`${HOME}/a/b/c`), lock(`${HOME}/a/b/c/d`, { depth: 'infinity' })];
        const outside = [lock(`${HOME}/a/b c`), lock(`${HOME}/a/b0`), lock(`${HOME}/a`, { depth: 'infinity' }), lock(`${HOME}/a/bc`)];
        await tx(async (t) => {
          for (const l of [...ls, ...outside]) await t.createLock(l);
        });
        assert.deepEqual((await store.locksWithin(`${HOME}/a/b`, now)).map((l) => l.token).sort(), ls.map((l) => l.token).sort());
        assert.deepEqual((await store.locksWithin(`${HOME}/a/b/c/d`, now)).map((l) => l.token), [ls[2]!.token]);
        assert.deepEqual(await store.locksWithin(`${HOME}/q`, now), []);
      });

      it('locks: refreshLock sets a new timeout and expiry; deleteLock removes the lock', async () => {
        const now = Date.now();
        const l = lock(`${HOME}/r`, { timeoutSeconds: 10, expiresAt: now + 10_000 });
        await tx((t) => t.createLock(l));
        await tx((t) => t.refreshLock(l.token, 3600, now + 3_600_000));
        assert.deepEqual(await store.getLock(l.token, now + 60_000), { ...l, timeoutSeconds: 3600, expiresAt: now + 3_600_000 });
        await tx((t) => t.refreshLock(l.token, null, now + 5_000));
        assert.deepEqual(await store.getLock(l.token, now), { ...l, timeoutSeconds: null, expiresAt: now + 5_000 });
        assert.equal(await store.getLock(l.token, now + 60_000), null);
        await tx((t) => t.deleteLock(l.token));
        assert.equal(await store.getLock(l.token, 0), null);
        assert.deepEqual(await store.locksCovering(`${HOME}/r`, 0), []);
        await tx((t) => t.deleteLock(l.token)); // deleting twice is harmless
      });
    });

    // ---------------------------------------------------------------- change feed

    describe('change feed', () => {
      it("change feed: a put appends to the parent's feed in the same transaction (DESIGN: one change feed)", async () => {
        const before = Date.now();
        await tx(async (t) => {
          await t.putObject(`${HOME}/a.ics`, { ownerId: alice.id, body: bytes('a'), contentType: null, etag: '"a"', origin: 'phone-1' });
          const inside = await t.changesSince(home.id, 0, 10);
          assert.deepEqual(inside.map((c) => [c.seq, c.name, c.op]), [[1, 'a.ics', 'put']], 'visible inside the writing transaction');
          assert.equal((await t.getResource(HOME))?.syncSeq, 1);
          assert.deepEqual(await store.changesSince(home.id, 0, 10), [], 'invisible outside until commit');
        });
        const [c] = await store.changesSince(home.id, 0, 10);
        assert.ok(c);
        assert.deepEqual({ ...c, at: 0 }, { collectionId: home.id, seq: 1, name: 'a.ics', op: 'put', origin: 'phone-1', at: 0 });
        assert.ok(c.at >= before && c.at <= Date.now());
        assert.equal((await get(HOME)).syncSeq, 1);
      });

      it('change feed: put, replace, createCollection, delete and move each append with increasing seq; origin kept', async () => {
        await put(`${HOME}/a.ics`, 'a');
        await put(`${HOME}/a.ics`, 'a2', { origin: 'dev-2' });
        await mkcol(`${HOME}/sub`, 'web');
        await put(`${HOME}/sub/in.ics`);
        await tx((t) => t.moveResource(`${HOME}/a.ics`, `${HOME}/b.ics`));
        await tx((t) => t.deleteResource(`${HOME}/b.ics`, 'dev-3'));
        const feed = await store.changesSince(home.id, 0, 100);
        assert.deepEqual(feed.map((c) => [c.seq, c.name, c.op, c.origin]), [
          [1, 'a.ics', 'put', null],
          [2, 'a.ics', 'put', 'dev-2'],
          [3, 'sub/', 'put', 'web'],
          // sub's etag moved with its new member (RFC 6578 §3.5.1).
          [4, 'sub/', 'put', null],
          [5, 'a.ics', 'delete', null],
          [6, 'b.ics', 'put', null],
          [7, 'b.ics', 'delete', 'dev-3'],
        ]);
        for (let i = 1; i < feed.length; i++) assert.ok(feed[i]!.at >= feed[i - 1]!.at);
        assert.equal((await get(HOME)).syncSeq, 7, "a collection's syncSeq is its newest seq");
        const sub = await get(`${HOME}/sub`);
        assert.equal(sub.syncSeq, 1, 'feeds are per collection');
        assert.deepEqual((await store.changesSince(sub.id, 0, 10)).map((c) => [c.seq, c.name]), [[1, 'in.ics']]);
      });

      it('change feed: creating a home collection, setting properties or locks records nothing', async () => {
        const { resource } = await put(`${HOME}/a`);
        await tx(async (t) => {
          await t.createCollection('/calendars/alice', { ownerId: alice.id, home: true });
          await t.patchProperties(resource.id, [{ name: '{urn:x}p', xml: '<p xmlns="urn:x"/>' }], []);
          await t.createLock(lock(`${HOME}/a`));
        });
        assert.equal((await get(HOME)).syncSeq, 1);
        assert.equal((await get('/calendars/alice')).syncSeq, 0);
      });

      it('change feed: changesSince returns seq > afterSeq, ascending, at most limit', async () => {
        for (let i = 1; i <= 7; i++) await put(`${HOME}/o${i}`);
        const seqs = async (after: number, limit: number) => (await store.changesSince(home.id, after, limit)).map((c) => c.seq);
        assert.deepEqual(await seqs(0, 100), [1, 2, 3, 4, 5, 6, 7]);
        assert.deepEqual(await seqs(0, 3), [1, 2, 3]);
        assert.deepEqual(await seqs(3, 3), [4, 5, 6]);
        assert.deepEqual(await seqs(6, 3), [7]);
        assert.deepEqual(await seqs(7, 3), []);
        assert.deepEqual(await store.changesSince(999_999, 0, 10), []);
      });

      it('change feed: compactChanges drops old rows and raises oldestSyncSeq, never lowers it; seq continues', async () => {
        for (let i = 1; i <= 5; i++) await put(`${HOME}/o${i}`);
        assert.equal(await store.oldestSyncSeq(home.id), 0);
        await tx((t) => t.compactChanges(home.id, 3));
        assert.equal(await store.oldestSyncSeq(home.id), 3);
        assert.deepEqual((await store.changesSince(home.id, 0, 100)).map((c) => c.seq), [4, 5]);
        assert.equal((await get(HOME)).syncSeq, 5, 'compaction keeps the sync sequence');
        await tx((t) => t.compactChanges(home.id, 1));
        assert.equal(await store.oldestSyncSeq(home.id), 3, 'the floor never goes down');
        await put(`${HOME}/o6`);
        assert.deepEqual((await store.changesSince(home.id, 3, 100)).map((c) => c.seq), [4, 5, 6]);
        await tx((t) => t.compactChanges(home.id, 6));
        assert.equal(await store.oldestSyncSeq(home.id), 6);
        assert.deepEqual(await store.changesSince(home.id, 0, 100), []);
        await put(`${HOME}/o7`);
        assert.deepEqual((await store.changesSince(home.id, 6, 100)).map((c) => c.seq), [7]);
      });
    });

    // ---------------------------------------------------------------- kv

    describe('kv values', () => {
      it('kv: set, get, overwrite, expiry and delete; namespaces are separate', async () => {
        const now = Date.now();
        await tx(async (t) => {
          await t.setValue('session', 'k', 'v1', null);
          await t.setValue('nonce', 'k', 'other', now + 1000);
        });
        assert.equal(await store.getValue('session', 'k', now), 'v1');
        assert.equal(await store.getValue('session', 'k', now + 10 * 365 * 86_400_000), 'v1', 'null expiry never expires');
        assert.equal(await store.getValue('nonce', 'k', now), 'other');
        assert.equal(await store.getValue('nonce', 'k', now + 1000), null, 'expired at expiresAt');
        assert.equal(await store.getValue('nonce', 'missing', now), null);
        await tx((t) => t.setValue('session', 'k', 'v2 ü 😀', now + 50));
        assert.equal(await store.getValue('session', 'k', now), 'v2 ü 😀');
        assert.equal(await store.getValue('session', 'k', now + 50), null);
        await tx((t) => t.setValue('session', 'k', 'v3', null));
        assert.equal(await store.getValue('session', 'k', now + 50), 'v3', 'overwriting resets the expiry');
        await tx((t) => t.deleteValue('session', 'k'));
        assert.equal(await store.getValue('session', 'k', now), null);
        assert.equal(await store.getValue('nonce', 'k', now), 'other');
        await tx((t) => t.deleteValue('session', 'k'));
      });
    });

    // ---------------------------------------------------------------- transactions

    describe('auth failures (domain/throttle.ts)', () => {
      it('recordAuthFailure counts per subject atomically, restarts after forgetBefore, and is shared through the store', async () => {
        const t0 = 1_000_000;
        assert.deepEqual(await store.getAuthFailures(['user:alice']), []);
        assert.deepEqual(await tx((t) => t.recordAuthFailure('user:alice', t0, 0), ['throttle']), { subject: 'user:alice', failures: 1, lastFailureAt: t0 });
        assert.equal((await tx((t) => t.recordAuthFailure('user:alice', t0 + 10, t0 - 100), ['throttle'])).failures, 2);
        await tx((t) => t.recordAuthFailure('addr:192.0.2.1', t0 + 20, 0), ['throttle']);
        assert.deepEqual(await store.getAuthFailures(['user:alice', 'addr:192.0.2.1', 'user:nobody']), [
          { subject: 'addr:192.0.2.1', failures: 1, lastFailureAt: t0 + 20 },
          { subject: 'user:alice', failures: 2, lastFailureAt: t0 + 10 },
        ]);
        // The last failure (t0 + 10) is before forgetBefore: the count starts again.
        assert.deepEqual(await tx((t) => t.recordAuthFailure('user:alice', t0 + 5000, t0 + 11), ['throttle']), { subject: 'user:alice', failures: 1, lastFailureAt: t0 + 5000 });
      });

      it('concurrent failures of one subject are all counted', async () => {
        await Promise.all(Array.from({ length: 10 }, (_, i) => tx((t) => t.recordAuthFailure('user:alice', 2_000 + i, 0), ['throttle:user:alice'])));
        assert.equal((await store.getAuthFailures(['user:alice']))[0]?.failures, 10);
      });

      it('clearAuthFailures forgets one subject; pruneAuthFailures drops every count older than a time', async () => {
        await tx(async (t) => {
          await t.recordAuthFailure('user:a', 100, 0);
          await t.recordAuthFailure('user:b', 200, 0);
          await t.recordAuthFailure('user:c', 300, 0);
        }, ['throttle']);
        await tx((t) => t.clearAuthFailures('user:a'), ['throttle']);
        assert.equal(await tx((t) => t.pruneAuthFailures(250), ['throttle']), 1);
        assert.deepEqual((await store.getAuthFailures(['user:a', 'user:b', 'user:c'])).map((f) => f.subject), ['user:c']);
      });

      it('rolls back with its transaction', async () => {
        await assert.rejects(tx(async (t) => {
          await t.recordAuthFailure('user:alice', 1, 0);
          throw new Boom();
        }, ['throttle']), Boom);
        assert.deepEqual(await store.getAuthFailures(['user:alice']), []);
      });
    });

    describe('derived calendars and .ics subscriptions (migration 10)', () => {
      const sub = (collectionId: number, over: Partial<CalendarSubscription> = {}): CalendarSubscription => ({
        collectionId, ownerId: alice.id, url: 'https://example.org/feed.ics', refreshSeconds: 3600, etag: null, lastModified: null,
        lastAttemptAt: null, lastSuccessAt: null, lastError: null, nextRefreshAt: 1000, ...over,
      });

      it('derived: a derived collection marks itself and every member written into it; others stay null', async () => {
        const coll = await tx((t) => t.createCollection(`${HOME}/feed`, { ownerId: alice.id, derived: 'subscription' }));
        assert.equal(coll.derived, 'subscription');
        const member = (await put(`${HOME}/feed/a.ics`)).resource;
        assert.equal(member.derived, 'subscription');
        assert.equal((await get(`${HOME}/feed/a.ics`)).derived, 'subscription');
        assert.equal((await put(`${HOME}/plain`)).resource.derived, null);
        assert.equal((await store.listChildren(coll.id))[0]?.derived, 'subscription');
      });

      it('subscriptions: put, get, list, due; the row goes with its collection', async () => {
        const coll = await tx((t) => t.createCollection(`${HOME}/feed`, { ownerId: alice.id, derived: 'subscription' }));
        await tx((t) => t.putSubscription(sub(coll.id)));
        assert.deepEqual(await store.getSubscription(coll.id), sub(coll.id));
        await tx((t) => t.putSubscription(sub(coll.id, { etag: '"e"', lastError: 'boom', lastAttemptAt: 5, nextRefreshAt: 2000 })));
        assert.equal((await store.getSubscription(coll.id))?.lastError, 'boom');
        assert.deepEqual((await store.listSubscriptions(alice.id)).map((x) => x.collectionId), [coll.id]);
        assert.deepEqual(await store.dueSubscriptions(1999, 10), []);
        assert.deepEqual((await store.dueSubscriptions(2000, 10)).map((x) => x.etag), ['"e"']);
        await tx((t) => t.deleteResource(`${HOME}/feed`));
        assert.equal(await store.getSubscription(coll.id), null);
      });

      it('subscriptions: one lease at a time, even from concurrent transactions with different lock keys; leased feeds are not due', async () => {
        const coll = await tx((t) => t.createCollection(`${HOME}/feed`, { ownerId: alice.id, derived: 'subscription' }));
        await tx((t) => t.putSubscription(sub(coll.id)));
        const won = await Promise.all(['n1', 'n2', 'n3'].map((holder, i) =>
          store.transaction([`/lease-${i}`], (t) => t.leaseSubscription(coll.id, holder, 5000, 65_000))));
        assert.equal(won.filter(Boolean).length, 1);
        assert.deepEqual(await store.dueSubscriptions(6000, 10), []);
        const holder = ['n1', 'n2', 'n3'][won.indexOf(true)]!;
        const other = holder === 'n1' ? 'n2' : 'n1';
        await tx((t) => t.releaseSubscription(coll.id, other)); // not its lease: nothing happens
        assert.equal(await tx((t) => t.leaseSubscription(coll.id, other, 6000, 66_000)), false);
        assert.equal(await tx((t) => t.leaseSubscription(coll.id, other, 70_000, 130_000)), true, 'an expired lease can be taken');
        await tx((t) => t.releaseSubscription(coll.id, other));
        assert.deepEqual((await store.dueSubscriptions(6000, 10)).map((x) => x.collectionId), [coll.id]);
      });
    });

    describe('outbound iTIP queue (migration 11)', () => {
      const msg = (recipient: string, createdAt = 1000) => ({
        recipient, method: 'REQUEST', icsText: 'BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n', organizer: 'mailto:alice@example.com', senderUserId: alice.id, createdAt,
      });

      it('outbound iTIP: enqueue, pending and get round-trip; a claim leases, a retry waits, sent and failed leave the queue', async () => {
        const a = await tx((t) => t.enqueueItip(msg('mailto:x@example.org')));
        const b = await tx((t) => t.enqueueItip(msg('mailto:y@example.org', 1001)));
        assert.deepEqual((await store.pendingItip(10)).map((m) => m.recipient), ['mailto:x@example.org', 'mailto:y@example.org']);
        assert.deepEqual(await store.getItip(a), { ...msg('mailto:x@example.org'), id: a, state: 'pending', attempts: 0, nextAttemptAt: 1000, lastError: null });
        const claimed = await tx((t) => t.claimItip('n1', 2000, 62_000, 10));
        assert.deepEqual(claimed.map((m) => [m.id, m.attempts]), [[a, 1], [b, 1]]);
        assert.deepEqual(await tx((t) => t.claimItip('n2', 3000, 63_000, 10)), [], 'leased messages are not claimed again');
        await tx((t) => t.markItip(a, { ok: true }, 4000));
        await tx((t) => t.markItip(b, { ok: false, error: 'greylisted', retryAt: 100_000 }, 4000));
        assert.equal((await store.getItip(a))?.state, 'sent');
        assert.deepEqual(await tx((t) => t.claimItip('n2', 99_999, 200_000, 10)), []);
        const again = await tx((t) => t.claimItip('n2', 100_000, 200_000, 10));
        assert.deepEqual(again.map((m) => [m.id, m.attempts, m.lastError]), [[b, 2, 'greylisted']]);
        await tx((t) => t.markItip(b, { ok: false, error: '550 no such user', retryAt: null }, 5000));
        assert.deepEqual(await store.pendingItip(10), []);
        assert.equal((await store.getItip(b))?.state, 'failed');
      });

      it('outbound iTIP: concurrent claims from transactions with different lock keys never share a message', async () => {
        for (let i = 0; i < 6; i++) await tx((t) => t.enqueueItip(msg(`mailto:r${i}@example.org`)));
        const got = await Promise.all(['n1', 'n2', 'n3'].map((holder, i) =>
          store.transaction([`/claim-${i}`], (t) => t.claimItip(holder, 2000, 60_000, 4))));
        const ids = got.flat().map((m) => m.id);
        assert.equal(ids.length, 6);
        assert.equal(new Set(ids).size, 6);
      });
    });

    describe('transactions', () => {
      it('transactions: one that throws after writes leaves no trace (DESIGN: object, index, change and token commit together or not at all)', async () => {
        const coll = await mkcol(`${HOME}/cal`);
        await put(`${HOME}/cal/keep.ics`, 'keep');
        const homeBefore = await get(HOME);
        const collBefore = await get(`${HOME}/cal`);
        const usersBefore = await store.listUsers();
        const err = new Boom('fail after writing');
        await assert.rejects(tx(async (t) => {
          await t.putObject(`${HOME}/cal/new.ics`, { ownerId: alice.id, body: bytes('n'), contentType: null, etag: '"n"', index: { uid: 'u' } });
          await t.putObject(`${HOME}/cal/keep.ics`, { ownerId: alice.id, body: bytes('changed'), contentType: null, etag: '"c"' });
          await t.createCollection(`${HOME}/other`, { ownerId: alice.id });
          await t.deleteResource(`${HOME}/cal/keep.ics`);
          await t.createUser({ name: 'mallory', passwordHash: 'x' });
          await t.setValue('ns', 'k', 'v', null);
          await t.createLock(lock(`${HOME}/cal`));
          await t.compactChanges(coll.id, 1);
          throw err;
        }), (e: unknown) => e === err);
        assert.equal(await store.getResource(`${HOME}/cal/new.ics`), null);
        assert.equal(await store.getResource(`${HOME}/other`), null);
        const keep = await get(`${HOME}/cal/keep.ics`);
        same(await store.readBody(keep.id), bytes('keep'));
        assert.deepEqual(await get(HOME), homeBefore);
        assert.deepEqual(await get(`${HOME}/cal`), collBefore);
        assert.equal(collBefore.syncSeq, 1);
        assert.deepEqual((await store.changesSince(coll.id, 0, 100)).map((c) => c.seq), [1]);
        assert.equal(await store.oldestSyncSeq(coll.id), 0);
        assert.deepEqual(await store.listUsers(), usersBefore);
        assert.equal(await store.getValue('ns', 'k', 0), null);
        assert.deepEqual(await store.locksWithin(HOME, 0), []);
        // The next write continues the feed where the committed history left it.
        await put(`${HOME}/cal/after.ics`);
        assert.deepEqual((await store.changesSince(coll.id, 0, 100)).map((c) => [c.seq, c.name]), [[1, 'keep.ics'], [2, 'after.ics']]);
      });

      it('transactions: a StoreError inside a transaction rolls back the earlier writes of that transaction', async () => {
        await rejectsWith(tx(async (t) => {
          await t.putObject(`${HOME}/first.ics`, { ownerId: alice.id, body: bytes('1'), contentType: null, etag: '"1"' });
          await t.createCollection(HOME, { ownerId: alice.id, home: true });
        }), 'exists');
        assert.equal(await store.getResource(`${HOME}/first.ics`), null);
        assert.equal((await get(HOME)).syncSeq, 0);
      });

      it('transactions: the result is returned; uncommitted writes are invisible outside', async () => {
        const result = await tx(async (t) => {
          const r = await t.putObject(`${HOME}/x`, { ownerId: alice.id, body: bytes('x'), contentType: null, etag: '"x"' });
          assert.equal((await t.getResource(`${HOME}/x`))?.id, r.resource.id, 'a transaction reads its own writes');
          assert.equal(await store.getResource(`${HOME}/x`), null, 'others do not see it before commit');
          return r.resource.id;
        });
        assert.equal((await get(`${HOME}/x`)).id, result);
      });

      it('transactions: 20 concurrent transactions putting different objects into one collection all commit with seqs 1..20', async () => {
        const coll = await mkcol(`${HOME}/busy`);
        const results = await Promise.all(Array.from({ length: 20 }, (_, i) =>
          // Distinct lock keys: the store itself, not the advisory lock, must serialise the feed.
          store.transaction([`${HOME}/busy/o${i}.ics`], async (t) => {
            const r = await t.putObject(`${HOME}/busy/o${i}.ics`, { ownerId: alice.id, body: bytes(`o${i}`), contentType: null, etag: `"${i}"` });
            return r.created;
          })));
        assert.deepEqual(results, Array(20).fill(true));
        const feed = await store.changesSince(coll.id, 0, 100);
        assert.deepEqual(feed.map((c) => c.seq), Array.from({ length: 20 }, (_, i) => i + 1));
        assert.deepEqual(new Set(feed.map((c) => c.name)).size, 20);
        assert.equal((await get(`${HOME}/busy`)).syncSeq, 20);
        assert.equal((await store.listChildren(coll.id)).length, 20);
      });

      it('transactions: 20 concurrent transactions under one lock key (a home) also all commit with seqs 1..20', async () => {
        const coll = await mkcol(`${HOME}/busy`);
        await Promise.all(Array.from({ length: 20 }, (_, i) =>
          store.transaction([HOME], (t) =>
            t.putObject(`${HOME}/busy/o${i}.ics`, { ownerId: alice.id, body: bytes(`o${i}`), contentType: null, etag: `"${i}"` }))));
        assert.deepEqual((await store.changesSince(coll.id, 0, 100)).map((c) => c.seq), Array.from({ length: 20 }, (_, i) => i + 1));
        for (let i = 0; i < 20; i++) same(await store.readBody((await get(`${HOME}/busy/o${i}.ics`)).id), bytes(`o${i}`));
      });

      it('transactions: a failed transaction does not stop the ones queued behind it', async () => {
        const outcomes = await Promise.allSettled([
          put(`${HOME}/a`),
          tx(async () => { throw new Boom('no'); }),
          put(`${HOME}/b`),
        ]);
        assert.deepEqual(outcomes.map((o) => o.status), ['fulfilled', 'rejected', 'fulfilled']);
        assert.deepEqual((await store.changesSince(home.id, 0, 10)).map((c) => [c.seq, c.name]), [[1, 'a'], [2, 'b']]);
      });

      it('transactions: among 12 concurrent ones, those that throw after writing leave no trace and the rest all commit (group commit isolates failures)', async () => {
        const coll = await mkcol(`${HOME}/mixed`);
        const outcomes = await Promise.allSettled(Array.from({ length: 12 }, (_, i) =>
          store.transaction([HOME], async (t) => {
            await t.putObject(`${HOME}/mixed/o${i}`, { ownerId: alice.id, body: bytes(`o${i}`), contentType: null, etag: `"${i}"` });
            if (i % 3 === 1) throw new Boom(`fail ${i}`);
            return i;
          })));
        assert.deepEqual(outcomes.map((o) => o.status), Array.from({ length: 12 }, (_, i) => (i % 3 === 1 ? 'rejected' : 'fulfilled')));
        const names = (await store.listChildren(coll.id)).map((r) => r.path.slice(r.path.lastIndexOf('/') + 1)).sort();
        assert.deepEqual(names, Array.from({ length: 12 }, (_, i) => i).filter((i) => i % 3 !== 1).map((i) => `o${i}`).sort());
        const feed = await store.changesSince(coll.id, 0, 100);
        assert.deepEqual(feed.map((c) => c.seq), [1, 2, 3, 4, 5, 6, 7, 8]);
        assert.equal((await get(`${HOME}/mixed`)).syncSeq, 8);
      });
    });
  });
}
