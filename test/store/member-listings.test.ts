/**
 * Kept member listings (domain/member-listings.ts, issue #20) answer exactly what the store lists
 * — through creations, replacements, deletions, moves in and out, property changes, a renamed
 * collection, a compacted feed and writes by another node — while reading no member row of an
 * unchanged collection and only the changed rows of a changed one. On SQLite, and on PostgreSQL
 * with a second store (another node) writing.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { MemberListings } from '../../src/domain/member-listings.js';
import { openPostgresStore } from '../../src/store/postgres/index.js';
import { openSqliteStore } from '../../src/store/sqlite/index.js';
import type { Store } from '../../src/store/store.js';
import type { ObjectQuery, Resource } from '../../src/store/types.js';
import { Rng } from '../fuzz/mutate.js';
import { createThrowawayDatabase, postgresSkipReason } from '../helpers/postgres.js';
import { eventBody } from '../helpers/event-body.js';
import { writeAsDav } from '../helpers/write-as-dav.js';

const HOME = '/calendars/alice';

function event(uid: string, summary: string): Uint8Array {
  return eventBody(uid, ['DTSTART:20240102T100000Z', 'DURATION:PT1H', `SUMMARY:${summary}`]);
}

/** `store` with the member rows it reads counted (whole pages, and rows by path). */
function counting(store: Store): { reader: Store; pages: () => number; byPath: () => number; reset(): void } {
  let pages = 0;
  let byPath = 0;
  const reader = Object.assign(Object.create(store) as Store, {
    listChildrenPage: (parentId: number, after: string | null, limit: number) => {
      pages += 1;
      return store.listChildrenPage(parentId, after, limit);
    },
    getResourcesByPaths: (paths: readonly string[]) => {
      byPath += paths.length;
      return store.getResourcesByPaths(paths);
    },
  });
  return {
    reader,
    pages: () => pages,
    byPath: () => byPath,
    reset() {
      pages = 0;
      byPath = 0;
    },
  };
}

async function storeListing(store: Store, parentId: number): Promise<Resource[]> {
  const out: Resource[] = [];
  for (let after: string | null = null; ;) {
    const page = await store.listChildrenPage(parentId, after, 7);
    out.push(...page);
    if (page.length < 7) return out;
    after = page[page.length - 1]!.path;
  }
}

async function keptListing(listings: MemberListings, reader: Store, path: string): Promise<Resource[]> {
  const collection = await reader.getResource(path);
  assert.ok(collection, path);
  const out: Resource[] = [];
  for await (const page of listings.pagesOf(reader, collection, 7)) out.push(...page);
  return out;
}

/** A seeded run of writes by `writer`, each followed by a listing through `reader`'s kept listings. */
async function exercise(reader: Store, writer: Store): Promise<void> {
  const alice = await writer.transaction([], async (tx) => {
    const u = await tx.createUser({ name: 'alice', passwordHash: 'x' });
    await tx.createCollection(HOME, { ownerId: u.id, home: true });
    await tx.createCollection(`${HOME}/work`, { ownerId: u.id, collectionType: 'calendar' });
    await tx.createCollection(`${HOME}/other`, { ownerId: u.id, collectionType: 'calendar' });
    return { id: u.id, name: u.name };
  });
  const listings = MemberListings.ofBytes(1 << 20);
  const counted = counting(reader);
  let calendar = `${HOME}/work`;
  /**
   * A multiget's look-up (`byPaths`) of members and non-members of the calendar, of another
   * calendar's members, a nested path and the calendar itself: the rows the store gives, the
   * calendar's direct members read from its listing when one is kept for its state (brought up
   * to date first: `changedSinceListing` members read again).
   */
  const lookUp = async (what: string, changedSinceListing = 0): Promise<void> => {
    const collection = (await reader.getResource(calendar))!;
    const others = await storeListing(reader, (await reader.getResource(`${HOME}/other`))!.id);
    const direct = [...Array.from({ length: 20 }, (_, i) => `${calendar}/e${i}.ics`), `${calendar}/back-9.ics`];
    const elsewhere = [...others.map((m) => m.path), `${calendar}/nested/e1.ics`, calendar];
    const probe = [...direct, ...elsewhere];
    const kept = listings.stats()!.entries > 0;
    counted.reset();
    const got = await listings.byPaths(counted.reader, collection, probe);
    const byPath = (a: Resource, b: Resource): number => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
    assert.deepEqual(got.sort(byPath), (await reader.getResourcesByPaths(probe)).sort(byPath), what);
    if (kept)
      assert.equal(
        counted.byPath(),
        changedSinceListing + elsewhere.length,
        `${what}: only the members changed since the listing and the paths outside it are read`,
      );
    else assert.equal(counted.byPath(), probe.length, `${what}: no listing kept, all read`);
    assert.equal(counted.pages(), 0, `${what}: a look-up never lists the collection`);
  };
  const check = async (what: string): Promise<void> => {
    const id = (await reader.getResource(calendar))!.id;
    assert.deepEqual(await keptListing(listings, counted.reader, calendar), await storeListing(reader, id), what);
    await lookUp(what);
  };
  const rng = new Rng(5);
  const random = (n: number): number => rng.int(n);
  for (let i = 0; i < 12; i++) await writeAsDav(writer, alice, `${calendar}/e${i}.ics`, event(`e${i}`, 'first'));
  await lookUp('before any listing');
  await check('first listing');

  counted.reset();
  const id = (await reader.getResource(calendar))!.id;
  await keptListing(listings, counted.reader, calendar);
  assert.equal(counted.pages() + counted.byPath(), 0, 'an unchanged collection: no member row read');
  await check('unchanged');
  await writeAsDav(writer, alice, `${calendar}/e3.ics`, event('e3', 'second'));
  counted.reset();
  assert.deepEqual(
    await keptListing(listings, counted.reader, calendar),
    await storeListing(reader, id),
    'one replaced',
  );
  assert.deepEqual([counted.pages(), counted.byPath()], [0, 1], 'one change: that member read, no page');
  await lookUp('one replaced');
  // A change the listing has not seen yet: the look-up brings it up to date from the feed first.
  await writeAsDav(writer, alice, `${calendar}/e4.ics`, event('e4', 'second'));
  await writeAsDav(writer, alice, `${calendar}/e15.ics`, event('e15', 'new'));
  await lookUp('two changes since the listing', 2);

  for (let step = 0; step < 60; step++) {
    const name = `e${random(20)}.ics`;
    const members = await storeListing(writer, (await writer.getResource(calendar))!.id);
    const op = random(8);
    if (op <= 2) await writeAsDav(writer, alice, `${calendar}/${name}`, event(name.slice(0, -4), `s${step}`));
    else if (op === 3 && members.length > 0)
      await writer.transaction([], (tx) => tx.deleteResource(members[random(members.length)]!.path));
    else if (op === 4 && members.length > 0) {
      const m = members[random(members.length)]!;
      await writer.transaction([], (tx) => tx.moveResource(m.path, `${HOME}/other/moved-${step}.ics`));
    } else if (op === 5) {
      const others = await storeListing(writer, (await writer.getResource(`${HOME}/other`))!.id);
      const m = others[random(Math.max(1, others.length))];
      if (m) await writer.transaction([], (tx) => tx.moveResource(m.path, `${calendar}/back-${step}.ics`));
    } else if (op === 6 && members.length > 0) {
      const m = members[random(members.length)]!;
      await writer.transaction([], (tx) =>
        tx.patchProperties(m.id, [{ name: '{urn:x}note', xml: `<x:note xmlns:x="urn:x">${step}</x:note>` }], []),
      );
    } else if (op === 7 && step % 3 === 0) {
      const to = `${HOME}/renamed-${step}`;
      await writer.transaction([], (tx) => tx.moveResource(calendar, to));
      calendar = to;
    }
    await check(`step ${step} (op ${op})`);
  }

  // A feed compacted past the kept listing: read whole again, still right.
  const coll = (await writer.getResource(calendar))!;
  await writeAsDav(writer, alice, `${calendar}/late.ics`, event('late', 'x'));
  await writer.transaction([], (tx) => tx.compactChanges(coll.id, coll.syncSeq + 1));
  await check('after compaction');
}

/**
 * A query's candidates from a kept listing (`queryObjects`, the index prefilter applied in
 * memory) are the store's own (`Store.queryObjects`, span classes in SQL) for seeded objects
 * of every kind of envelope — short, long, open-ended, without a start, none — and queries by
 * range (either end open), component and UID; the store is not asked once the listing is kept.
 */
async function prefilterAgrees(store: Store): Promise<void> {
  const DAY = 86_400_000;
  const T0 = Date.UTC(2024, 0, 1);
  const owner = await store.transaction([], async (tx) => {
    const u = await tx.createUser({ name: 'bob', passwordHash: 'x' });
    await tx.createCollection('/calendars/bob', { ownerId: u.id, home: true });
    await tx.createCollection('/calendars/bob/cal', { ownerId: u.id, collectionType: 'calendar' });
    await tx.createCollection('/calendars/bob/cal/sub', { ownerId: u.id, collectionType: 'calendar' });
    return u.id;
  });
  const rng = new Rng(11);
  const spans = [0, 3_600_000, DAY, 5 * DAY, 40 * DAY, 600 * DAY, 5000 * DAY];
  await store.transaction([], async (tx) => {
    for (let i = 0; i < 300; i++) {
      const kind = rng.int(10);
      const firstStart = kind === 0 ? null : T0 + rng.int(400) * DAY + rng.int(24) * 3_600_000;
      const span = spans[rng.int(spans.length)]!;
      const lastEnd = kind <= 1 || firstStart === null ? null : firstStart + span;
      await tx.putObject(`/calendars/bob/cal/o${i}.ics`, {
        ownerId: owner,
        body: new TextEncoder().encode(`object ${i}`),
        contentType: 'text/calendar',
        etag: `"o${i}"`,
        index: { uid: `u${i % 50}`, component: rng.int(4) === 0 ? 'VTODO' : 'VEVENT', firstStart, lastEnd },
      });
    }
  });
  const collection = (await store.getResource('/calendars/bob/cal'))!;
  const listings = MemberListings.ofBytes(1 << 20);
  for await (const page of listings.pagesOf(store, collection, 100)) void page;
  let asked = 0;
  const reader = Object.assign(Object.create(store) as Store, {
    queryObjects: (id: number, q: ObjectQuery) => {
      asked += 1;
      return store.queryObjects(id, q);
    },
  });
  for (let k = 0; k < 300; k++) {
    const start = T0 + (rng.int(440) - 20) * DAY + rng.int(24) * 3_600_000;
    const end = start + [1, 3_600_000, DAY, 7 * DAY, 31 * DAY, 800 * DAY][rng.int(6)]!;
    const q: ObjectQuery = {
      ...(rng.int(5) > 0 ? { rangeStart: start } : {}),
      ...(rng.int(5) > 0 ? { rangeEnd: end } : {}),
      ...(rng.int(3) > 0 ? { component: rng.int(3) === 0 ? 'VTODO' : 'VEVENT' } : {}),
      ...(rng.int(8) === 0 ? { uid: `u${rng.int(50)}` } : {}),
    };
    const paths = (rows: readonly Resource[]): string[] => rows.map((r) => r.path);
    assert.deepEqual(
      paths(await listings.queryObjects(reader, collection, q)),
      paths(await store.queryObjects(collection.id, q)),
      JSON.stringify(q),
    );
  }
  assert.equal(asked, 0, 'every query answered from the kept listing');
}

describe('kept member listings (domain/member-listings.ts)', () => {
  it("SQLite: a query's candidates from a kept listing are the store's", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'almanac-listings-'));
    const store = openSqliteStore(join(dir, 'almanac.sqlite'));
    try {
      await prefilterAgrees(store);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('SQLite: the same members as the store lists, reading only what changed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'almanac-listings-'));
    const store = openSqliteStore(join(dir, 'almanac.sqlite'));
    try {
      await exercise(store, store);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a listing whose read failed or was abandoned is not kept', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'almanac-listings-'));
    const store = openSqliteStore(join(dir, 'almanac.sqlite'));
    try {
      const alice = await store.transaction([], async (tx) => {
        const u = await tx.createUser({ name: 'alice', passwordHash: 'x' });
        await tx.createCollection(HOME, { ownerId: u.id, home: true });
        await tx.createCollection(`${HOME}/work`, { ownerId: u.id, collectionType: 'calendar' });
        return { id: u.id, name: u.name };
      });
      for (let i = 0; i < 30; i++) await writeAsDav(store, alice, `${HOME}/work/e${i}.ics`, event(`e${i}`, 'x'));
      const collection = (await store.getResource(`${HOME}/work`))!;
      let calls = 0;
      const failing = Object.assign(Object.create(store) as Store, {
        listChildrenPage: (parentId: number, after: string | null, limit: number) =>
          ++calls === 3 ? Promise.reject(new Error('injected')) : store.listChildrenPage(parentId, after, limit),
      });
      const listings = MemberListings.ofBytes(1 << 20);
      const read: Resource[] = [];
      await assert.rejects(async () => {
        for await (const page of listings.pagesOf(failing, collection, 7)) read.push(...page);
      }, /injected/);
      assert.equal(read.length, 14, 'two pages went out before the failure');
      for await (const page of listings.pagesOf(store, collection, 7)) {
        assert.equal(page.length, 7);
        break; // the reader stops after one page
      }
      assert.equal(listings.stats()?.entries, 0, 'nothing kept');
      const counted = counting(store);
      assert.deepEqual(
        await keptListing(listings, counted.reader, `${HOME}/work`),
        await storeListing(store, collection.id),
      );
      assert.equal(counted.pages(), 5, 'read from the store page by page');
      assert.equal(listings.stats()?.entries, 1);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('PostgreSQL: another node writes, this one lists', async (t) => {
    const skip = await postgresSkipReason();
    if (skip) return t.skip(skip);
    const db = await createThrowawayDatabase();
    const nodeA = await openPostgresStore(db.url);
    const nodeB = await openPostgresStore(db.url);
    try {
      await exercise(nodeA, nodeB);
      await prefilterAgrees(nodeA);
    } finally {
      await nodeA.close();
      await nodeB.close();
      await db.drop();
    }
  });
});
