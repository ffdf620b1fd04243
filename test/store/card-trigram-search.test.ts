/**
 * RFC 6352 §8.6 text-match (contains, starts-with, ends-with) through the store's search
 * (`searchObjects`, sql/card-search.ts; issue #20, FN search at 10k and 100k). A large book is
 * searched through the trigram index (SQLite FTS5, migration 24; PostgreSQL pg_trgm where the
 * planner takes it), a small one and a short term by testing each value: whichever path runs,
 * the answer must be exactly the cards whose folded value holds the term where the match says —
 * computed here from the values the test wrote — also after cards are replaced, deleted and
 * moved to another book.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import pg from 'pg';
import { createUser } from '../../src/domain/users.js';
import { parseVcard } from '../../src/formats/vcard/parse.js';
import { searchEntries } from '../../src/formats/vcard/search-index.js';
import { unicodeFold } from '../../src/formats/vcard/text.js';
import { openPostgresStore } from '../../src/store/postgres/index.js';
import { cardSearch, TRIGRAM_BOOK } from '../../src/store/sql/card-search.js';
import type { SqlConn } from '../../src/store/sql/driver.js';
import { openSqliteStore } from '../../src/store/sqlite/index.js';
import { openSqlite } from '../../src/store/sqlite/sqlite-driver.js';
import type { Store } from '../../src/store/store.js';
import type { SearchMatch } from '../../src/store/types.js';
import { createThrowawayDatabase, postgresSkipReason } from '../helpers/postgres.js';

const BIG = '/addressbooks/alice/big';
const SMALL = '/addressbooks/alice/small';
const CARDS = TRIGRAM_BOOK + 200;
const FIRST = ['Anna', 'Ben', 'Zoë', 'Jürgen', 'Ólafur', 'ANNE-MARIE', 'Ada'];
/** Values with LIKE's and FTS5's special characters, and non-ASCII text. */
const ODD = ['100% Pure_Joy', 'back\\slash Ltd', 'quote"d name', "O'Brien & Söhne", 'Straße 5', '*star* (paren)'];

function fnOf(i: number, round: number): string {
  if (i % 97 === 0) return `${ODD[(i / 97) % ODD.length]} ${i}`;
  return `${FIRST[i % FIRST.length]} Müller-${i % 31}${round > 0 ? ` r${round}` : ''} ${i}`;
}

const emailOf = (i: number, fn: string): string => `${fn.split(' ')[0]}.${i}@Example.org`;
const telOf = (i: number): string => `+49 30 ${1000 + i}`;

function card(i: number, fn: string): string {
  const esc = (v: string): string => v.replace(/\\/g, '\\\\');
  return `BEGIN:VCARD\r\nVERSION:3.0\r\nUID:c-${i}\r\nFN:${esc(fn)}\r\nN:;;;;\r\nEMAIL:${esc(emailOf(i, fn))}\r\nTEL:${telOf(i)}\r\nEND:VCARD\r\n`;
}

/** The value of `prop` of the card at `path` whose FN is `fn` (what card() wrote). */
function valueOf(prop: string, path: string, fn: string): string {
  const i = Number(/c(\d+)\.vcf$/.exec(path)?.[1]);
  return prop === 'FN' ? fn : prop === 'EMAIL' ? emailOf(i, fn) : telOf(i);
}

const TERMS = [
  'müller-1',
  'anna',
  'ANNE-mar',
  'zoë m',
  'an', // shorter than a trigram
  'ü',
  '100%',
  'pure_j',
  '_',
  '%',
  'back\\sl',
  'quote"d',
  "o'brien & s",
  'strasse',
  'straße',
  '*star*',
  ' r1 ',
  '12',
  '1234',
  '30 10',
  '.org',
  'nobody at all',
];
const KINDS = ['contains', 'starts-with', 'ends-with'] as const;

/** What a text-match on `prop` selects, from the values written (RFC 6352 §8.6, i;unicode-casemap). */
function expected(fns: ReadonlyMap<string, string>, prop: string, m: SearchMatch): string[] {
  const out: string[] = [];
  for (const [path, fn] of fns) {
    const v = unicodeFold(valueOf(prop, path, fn));
    const hit =
      m.kind === 'contains'
        ? v.includes(m.folded)
        : m.kind === 'starts-with'
          ? v.startsWith(m.folded)
          : m.kind === 'ends-with'
            ? v.endsWith(m.folded)
            : v === m.folded;
    if (hit) out.push(path);
  }
  return out.sort();
}

function scenario(name: string, open: () => Promise<{ store: Store; close(): Promise<void>; file?: string }>): void {
  describe(`address-book text-match on ${name} (RFC 6352 §8.6)`, () => {
    let store: Store;
    let close: () => Promise<void>;
    let file: string | undefined;
    let bigId: number;
    let smallId: number;
    let owner: number;
    const fns = new Map<string, Map<string, string>>([
      [BIG, new Map()],
      [SMALL, new Map()],
    ]);

    async function put(book: string, i: number, fn: string): Promise<void> {
      const text = card(i, fn);
      await store.transaction([book], (tx) =>
        tx.putObject(`${book}/c${i}.vcf`, {
          ownerId: owner,
          body: new TextEncoder().encode(text),
          contentType: 'text/vcard; charset=utf-8',
          etag: `"e${i}-${fn.length}"`,
          index: { uid: `c-${i}`, component: 'VCARD', search: searchEntries(parseVcard(text)) },
        }),
      );
      fns.get(book)!.set(`${book}/c${i}.vcf`, fn);
    }

    async function check(book: string, id: number): Promise<void> {
      // FN and EMAIL are in the trigram index, TEL is not (card-search.ts TRIGRAM_PROPERTIES).
      for (const prop of ['FN', 'EMAIL', 'TEL']) {
        for (const term of TERMS) {
          for (const kind of KINDS) {
            const m: SearchMatch = { kind, folded: unicodeFold(term) };
            const got = (await store.searchObjects(id, prop, m, 100_000)).map((r) => r.path).sort();
            const what = `${prop} ${kind} ${JSON.stringify(term)} in ${book}`;
            assert.deepEqual(got, expected(fns.get(book)!, prop, m), what);
          }
        }
      }
    }

    before(async () => {
      ({ store, close, file } = await open());
      await store.transaction(['/files/alice'], (tx) => createUser(tx, { name: 'alice', password: 'alice-pw' }));
      owner = (await store.getUserByName('alice'))!.id;
      await store.transaction(['/addressbooks/alice'], async (tx) => {
        bigId = (await tx.createCollection(BIG, { ownerId: owner, collectionType: 'addressbook' })).id;
        smallId = (await tx.createCollection(SMALL, { ownerId: owner, collectionType: 'addressbook' })).id;
        const enc = new TextEncoder();
        for (let i = 0; i < CARDS; i++) {
          const fn = fnOf(i, 0);
          const text = card(i, fn);
          await tx.putObject(`${BIG}/c${i}.vcf`, {
            ownerId: owner,
            body: enc.encode(text),
            contentType: 'text/vcard; charset=utf-8',
            etag: `"e${i}"`,
            index: { uid: `c-${i}`, component: 'VCARD', search: searchEntries(parseVcard(text)) },
          });
          fns.get(BIG)!.set(`${BIG}/c${i}.vcf`, fn);
        }
      });
      for (let i = 0; i < 40; i++) await put(SMALL, 100_000 + i, fnOf(i, 0));
    });
    after(async () => close());

    it('a large and a small book answer exactly the cards whose FN, EMAIL or TEL holds the term', async () => {
      await check(BIG, bigId);
      await check(SMALL, smallId);
    });

    it('after cards are replaced, deleted and moved, the answers follow', async () => {
      for (let i = 0; i < 60; i++) await put(BIG, i * 7, fnOf(i * 7, 1));
      for (let i = 1; i < 30; i++) {
        const path = `${BIG}/c${i * 11}.vcf`;
        await store.transaction([BIG], (tx) => tx.deleteResource(path));
        fns.get(BIG)!.delete(path);
      }
      for (const i of [5, 6, 97]) {
        const from = `${BIG}/c${i}.vcf`;
        const to = `${SMALL}/c${i}.vcf`;
        await store.transaction(['/addressbooks/alice'], (tx) => tx.moveResource(from, to));
        fns.get(SMALL)!.set(to, fns.get(BIG)!.get(from)!);
        fns.get(BIG)!.delete(from);
      }
      await check(BIG, bigId);
      await check(SMALL, smallId);
    });

    if (name === 'SQLite') {
      it('the large book is searched through the trigram index; the small one, a short term and TEL are not', async () => {
        const statements = async (id: number, folded: string, prop = 'FN'): Promise<string[]> => {
          const prepare = Database.prototype.prepare;
          const seen: string[] = [];
          Database.prototype.prepare = function (this: Database.Database, sql: string) {
            seen.push(sql);
            return prepare.call(this, sql) as Database.Statement;
          } as typeof prepare;
          try {
            // A term no earlier search used, so the statements are prepared (and seen) afresh.
            await store.searchObjects(id, prop, { kind: 'contains', folded }, 10);
          } finally {
            Database.prototype.prepare = prepare;
          }
          return seen;
        };
        // Statements are prepared once per connection: a fresh store sees each one prepared.
        const fresh = async (): Promise<void> => {
          await close();
          ({ store, close } = await open());
        };
        await fresh();
        const big = await statements(bigId, 'müller-2');
        assert.ok(
          big.some((s) => /card_trigrams MATCH/.test(s)),
          big.join('\n'),
        );
        await fresh();
        const small = await statements(smallId, 'müller-2');
        assert.ok(!small.some((s) => /card_trigrams/.test(s)), small.join('\n'));
        await fresh();
        const short = await statements(bigId, 'mü');
        assert.ok(!short.some((s) => /card_trigrams/.test(s)), short.join('\n'));
        await fresh();
        const tel = await statements(bigId, '30 10', 'TEL');
        assert.ok(!tel.some((s) => /card_trigrams/.test(s)), tel.join('\n'));
      });

      it("a book's size is counted once for its searches, not once per search (the plan's choice only)", async () => {
        const driver = openSqlite(file!);
        try {
          const counted: string[] = [];
          const reader = driver.reader;
          const counting: SqlConn = {
            ...reader,
            get: (sql, params) => (/count\(\*\)/.test(sql) && counted.push(sql), reader.get(sql, params)),
          };
          for (const term of ['müller-2', 'anna', 'ben müller']) {
            const search = await cardSearch(counting, bigId, 'FN', { kind: 'contains', folded: term });
            assert.match(search.sql, /card_trigrams MATCH/, term);
          }
          assert.equal(counted.length, 1, counted.join('\n'));
          const small = await cardSearch(counting, smallId, 'FN', { kind: 'contains', folded: 'müller-2' });
          assert.doesNotMatch(small.sql, /card_trigrams/);
          assert.equal(counted.length, 2, 'another book is counted on its own');
        } finally {
          await driver.close();
        }
      });

      it('the trigram index agrees with card_index (FTS5 integrity-check)', async () => {
        await close();
        const db = new Database(file!);
        try {
          db.prepare("INSERT INTO card_trigrams(card_trigrams, rank) VALUES ('integrity-check', 1)").run();
          const n = (db.prepare('SELECT count(*) AS n FROM card_index').get() as { n: number }).n;
          assert.ok(n > CARDS, 'every card has its FN (and N) entries');
        } finally {
          db.close();
        }
        ({ store, close } = await open());
      });
    }
  });
}

const dir = mkdtempSync(join(tmpdir(), 'almanac-trigram-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const sqliteFile = join(dir, 'a.sqlite');
scenario('SQLite', async () => {
  const store = openSqliteStore(sqliteFile, { synchronous: 'NORMAL' });
  return { store, close: () => store.close(), file: sqliteFile };
});

const skip = await postgresSkipReason();
if (skip) describe('address-book text-match on PostgreSQL', () => it.skip(skip, () => undefined));
else {
  const db = await createThrowawayDatabase();
  after(() => db.drop());
  scenario('PostgreSQL', async () => {
    const store = await openPostgresStore(db.url);
    return { store, close: () => store.close() };
  });

  describe('the trigram index on PostgreSQL (migration 25)', () => {
    it('holds the values of FN, N, NICKNAME, EMAIL and ORG only, and an FN search of a book is planned on it', async () => {
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      try {
        const def = await client.query<{ indexdef: string }>(
          "SELECT indexdef FROM pg_indexes WHERE indexname = 'card_trigrams'",
        );
        if (def.rows.length === 0) return; // pg_trgm not installed: searches scan (migration 24's note)
        const predicate = /WHERE \(prop = ANY \(ARRAY\[(.*)\]\)\)/.exec(def.rows[0]!.indexdef)?.[1];
        assert.deepEqual(
          predicate?.match(/'[A-Z]+'/g),
          ["'FN'", "'N'", "'NICKNAME'", "'EMAIL'", "'ORG'"],
          def.rows[0]!.indexdef,
        );
        // The statement the store runs for a contains search of FN, planned for its parameters.
        const pgConn = { dialect: 'postgres' } as unknown as SqlConn;
        const search = await cardSearch(pgConn, 1, 'FN', { kind: 'contains', folded: 'müller-2' });
        const book = await client.query<{ id: string }>('SELECT id FROM resources WHERE path = $1', [
          '/addressbooks/alice/big',
        ]);
        let n = 0;
        const text = search.sql.replace(/\?/g, () => `$${++n}`);
        await client.query('ANALYZE card_index'); // the statistics autovacuum keeps (2,200 cards just written)
        await client.query('SET plan_cache_mode = force_custom_plan');
        await client.query(`PREPARE fn_search AS ${text}`);
        const plan = await client.query<{ 'QUERY PLAN': string }>(
          `EXPLAIN EXECUTE fn_search(${book.rows[0]!.id}, 'FN', '%müller-2%')`,
        );
        const lines = plan.rows.map((r) => r['QUERY PLAN']).join('\n');
        assert.match(lines, /card_trigrams/, lines);
      } finally {
        await client.end();
      }
    });
  });
}
