/**
 * The card_index lookup of an address-book search (RFC 6352 §8.6 text-match, prefiltered by
 * `Store.searchObjects`), per dialect.
 *
 * card_index holds one row per searchable vCard value, folded with i;unicode-casemap (migration
 * 3), and an index on (collection, property, value, resource) (migration 23). An `equals` is a
 * seek in it; `contains`, `starts-with` and `ends-with` are a LIKE that has to test every value
 * of the property in the book — 50,000 of them for a book of 50,000 cards, about 5 ms of SQLite
 * time per search whatever it finds (issue #20, addressbook-query-fn at 10k and 100k).
 *
 * SQLite: an FTS5 table with the trigram tokenizer over the same folded values (migration 24,
 * kept by triggers on card_index) answers "which values hold this text" from the postings of
 * the term's trigrams, in time that grows with the values that hold them rather than with the
 * book. Its postings span every book of the server, so for a small book the scan stays cheaper:
 * the trigram path is taken only for a book holding at least TRIGRAM_BOOK values of the
 * property (counted with a bounded query), for a term of at least three characters (a shorter
 * one has no trigram), and for the properties the index holds (TRIGRAM_PROPERTIES). The LIKE
 * is kept beside the MATCH, so the answer is exactly the scan's: a trigram phrase matches the
 * term's text as a substring, and the LIKE then applies the same test the scan applies
 * (including its position for starts-with and ends-with).
 *
 * PostgreSQL: the same LIKE; a pg_trgm GIN index on the folded values of TRIGRAM_PROPERTIES
 * (migration 25, where the extension can be created) lets the planner answer it from the
 * trigrams when that is cheaper. The index is partial, so a search of one of those properties
 * names them all in its text (TRIGRAM_PREDICATE): the planner takes a partial index only where
 * the statement's own conditions imply its predicate, and the property is a parameter.
 */
import type { SearchMatch } from '../types.js';
import type { SqlConn, SqlValue } from './driver.js';

/** Values of one property in a book from which the trigram index answers a search (SQLite). */
export const TRIGRAM_BOOK = 2_000;

/**
 * The properties in the trigram index (SQLite migration 24, whose triggers name the same
 * ones): what people find by typing part of it. TEL and UID are looked up whole or by an end.
 */
const TRIGRAM_PROPERTIES: ReadonlySet<string> = new Set(['FN', 'N', 'NICKNAME', 'EMAIL', 'ORG']);

/** TRIGRAM_PROPERTIES as a condition: the predicate of PostgreSQL's partial trigram index (migration 25). */
const TRIGRAM_PREDICATE = `prop IN (${[...TRIGRAM_PROPERTIES].map((p) => `'${p}'`).join(', ')})`;

/** Characters a term needs for the trigram index to narrow anything (the tokenizer's n). */
const TRIGRAM_LENGTH = 3;

/** A term as an FTS5 string: one phrase, every character literal (quotes doubled). */
function ftsPhrase(folded: string): string {
  return `"${folded.replace(/"/g, '""')}"`;
}

/** The LIKE pattern of a match, with LIKE's own wildcards in the term escaped; null for equals. */
function likePattern(match: SearchMatch): string | null {
  const like = match.folded.replace(/[\\%_]/g, (c) => `\\${c}`);
  switch (match.kind) {
    case 'equals':
      return null;
    case 'contains':
      return `%${like}%`;
    case 'starts-with':
      return `${like}%`;
    case 'ends-with':
      return `%${like}`;
    case 'defined':
      return '%';
  }
}

const BOOK_SIZE = `SELECT count(*) AS n FROM (SELECT 1 FROM card_index WHERE collection_id = ? AND prop = ? LIMIT ${TRIGRAM_BOOK})`;

/** How long a book's size class is reused (a search of a large book counted 2,000 index entries each time). */
const SIZE_KEPT_MS = 30_000;
/** Most (book, property) size classes kept per connection; past it they are all dropped. */
const SIZES_KEPT = 4_096;

/**
 * Per connection, whether a book holds TRIGRAM_BOOK values of a property, and until when that
 * answer is reused: it only picks the plan — both plans answer the same cards — so one that
 * is a little stale costs time, never a wrong answer (issue #20: the count was a tenth of an
 * FN search's CPU). Bounded; one per store, as a connection is.
 */
const bookSizes = new WeakMap<SqlConn, Map<string, { readonly large: boolean; readonly until: number }>>();

/** Whether the book holds at least TRIGRAM_BOOK values of `prop`: counted, or as counted lately. */
async function largeBook(db: SqlConn, collectionId: number, prop: string): Promise<boolean> {
  let kept = bookSizes.get(db);
  if (!kept) bookSizes.set(db, (kept = new Map()));
  const key = `${collectionId}\u0000${prop}`;
  const now = Date.now();
  const hit = kept.get(key);
  if (hit && hit.until > now) return hit.large;
  const r = await db.get<{ n: number }>(BOOK_SIZE, [collectionId, prop]);
  const large = Number(r?.n ?? 0) >= TRIGRAM_BOOK;
  if (kept.size >= SIZES_KEPT) kept.clear();
  kept.set(key, { large, until: now + SIZE_KEPT_MS });
  return large;
}

/** Whether SQLite's trigram index should answer this search (see the file comment). */
async function useTrigrams(db: SqlConn, collectionId: number, prop: string, match: SearchMatch): Promise<boolean> {
  if (db.dialect !== 'sqlite' || match.kind === 'equals' || match.kind === 'defined') return false;
  if (!TRIGRAM_PROPERTIES.has(prop)) return false;
  if ([...match.folded].length < TRIGRAM_LENGTH) return false;
  return largeBook(db, collectionId, prop);
}

/**
 * The resource ids a search selects, as a subquery (`sql`, with its `params`) for
 * `id IN (…)`.
 */
export async function cardSearch(
  db: SqlConn,
  collectionId: number,
  prop: string,
  match: SearchMatch,
): Promise<{ sql: string; params: SqlValue[] }> {
  const pattern = likePattern(match);
  if (pattern === null) {
    return {
      sql: 'SELECT resource_id FROM card_index WHERE collection_id = ? AND prop = ? AND value_folded = ?',
      params: [collectionId, prop, match.folded],
    };
  }
  if (await useTrigrams(db, collectionId, prop, match)) {
    return {
      sql: `SELECT c.resource_id FROM card_trigrams JOIN card_index c ON c.rowid = card_trigrams.rowid
        WHERE card_trigrams MATCH ? AND c.collection_id = ? AND c.prop = ? AND c.value_folded LIKE ? ESCAPE '\\'`,
      params: [ftsPhrase(match.folded), collectionId, prop, pattern],
    };
  }
  const onTrigrams = db.dialect === 'postgres' && TRIGRAM_PROPERTIES.has(prop) ? ` AND ${TRIGRAM_PREDICATE}` : '';
  return {
    sql: `SELECT resource_id FROM card_index WHERE collection_id = ? AND prop = ?${onTrigrams} AND value_folded LIKE ? ESCAPE '\\'`,
    params: [collectionId, prop, pattern],
  };
}
