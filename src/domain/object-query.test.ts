/**
 * One Filter abstraction for calendars and contacts (object-filter.ts, object-query.ts): the
 * ALMANAC_DEBUG_QUERY double check (index path against a full scan by the exact check) now
 * covers addressbook-query (RFC 6352 §8.6) as it covered calendar-query (RFC 4791 §7.8).
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type { StoreReader } from '../store/store.js';
import type { Resource } from '../store/types.js';
import { cardFilter } from './contacts/query.js';
import type { CardFilter } from './contacts/filter.js';
import type { ObjectFilter } from './object-filter.js';
import { PlannerMismatch, queryObjects } from './object-query.js';
import { resourceRow } from '../store/resource-fixture.js';

function card(id: number, fn: string): { row: Resource; text: string } {
  return {
    row: resourceRow({
      id,
      path: `/addressbooks/alice/default/${id}.vcf`,
      parentId: 1,
      contentType: 'text/vcard',
      size: 10,
      etag: `"${id}"`,
    }),
    text: `BEGIN:VCARD\r\nVERSION:3.0\r\nUID:u${id}\r\nFN:${fn}\r\nEND:VCARD\r\n`,
  };
}

const CARDS = [card(1, 'Ada Lovelace'), card(2, 'Ada Byron'), card(3, 'Charles Babbage')];

/** A store whose search index answers `indexed` for every lookup. */
function storeWithIndex(indexed: readonly Resource[]): StoreReader {
  const texts = new Map(CARDS.map((c) => [c.row.id, new TextEncoder().encode(c.text)]));
  const fake: Partial<StoreReader> = {
    listChildren: async () => CARDS.map((c) => c.row),
    searchObjects: async () => [...indexed],
    readBodies: async (ids) =>
      new Map(
        ids.flatMap((id) => {
          const t = texts.get(id);
          return t ? [[id, t] as const] : [];
        }),
      ),
  };
  return fake as StoreReader;
}

const ADA: CardFilter = {
  test: 'anyof',
  propFilters: [
    {
      name: 'FN',
      test: 'anyof',
      isNotDefined: false,
      paramFilters: [],
      textMatches: [{ text: 'ada', collation: 'i;unicode-casemap', matchType: 'contains', negate: false }],
    },
  ],
};

afterEach(() => {
  delete process.env.ALMANAC_DEBUG_QUERY;
});

describe('ALMANAC_DEBUG_QUERY covers addressbook-query (RFC 6352 §8.6) too', () => {
  it('an index that loses a match is caught by the full scan', async () => {
    process.env.ALMANAC_DEBUG_QUERY = '1';
    const broken = storeWithIndex([CARDS[0]!.row]);
    await assert.rejects(queryObjects(broken, 1, cardFilter(ADA)), PlannerMismatch);
  });

  it('an index that agrees passes, and the limit is applied after the check (§8.6.2)', async () => {
    process.env.ALMANAC_DEBUG_QUERY = '1';
    const good = storeWithIndex([CARDS[0]!.row, CARDS[1]!.row]);
    const all = await queryObjects(good, 1, cardFilter(ADA));
    assert.deepEqual(
      all.hits.map((h) => h.resource.id),
      [1, 2],
    );
    assert.equal(all.truncated, false);
    const one = await queryObjects(good, 1, cardFilter(ADA), { limit: 1 });
    assert.deepEqual(
      one.hits.map((h) => h.resource.id),
      [1],
    );
    assert.equal(one.truncated, true);
  });

  it('without the switch the index path alone answers', async () => {
    const broken = storeWithIndex([CARDS[0]!.row]);
    assert.deepEqual(
      (await queryObjects(broken, 1, cardFilter(ADA))).hits.map((h) => h.resource.id),
      [1],
    );
  });
});

describe('a match says how it was decided; bodies of index-decided matches are read only when asked', () => {
  /** Decides 1 (a match) and 3 (none) without a body; 2 needs the exact check. */
  const filter: ObjectFilter = {
    label: 'test',
    candidates: async () => CARDS.map((c) => c.row),
    decide: async () =>
      new Map([
        [1, true],
        [3, false],
      ]),
    check: async (_r, text) => text.includes('Ada'),
  };

  function recordingStore(): { store: StoreReader; asked: number[] } {
    const asked: number[] = [];
    const base = storeWithIndex([]);
    const store = {
      ...base,
      readBodies: async (ids: readonly number[]) => {
        asked.push(...ids);
        return base.readBodies(ids);
      },
    } as StoreReader;
    return { store, asked };
  }

  it("bodies: 'checked' leaves the index-decided match unread", async () => {
    const { store, asked } = recordingStore();
    const { hits } = await queryObjects(store, 1, filter, { bodies: 'checked' });
    assert.deepEqual(
      hits.map((h) => [h.resource.id, h.decidedBy, h.text === null]),
      [
        [1, 'index', true],
        [2, 'body', false],
      ],
    );
    assert.deepEqual(asked, [2]);
  });

  it('by default every match comes with its text', async () => {
    const { store, asked } = recordingStore();
    const { hits } = await queryObjects(store, 1, filter);
    assert.deepEqual(
      hits.map((h) => [h.resource.id, h.decidedBy, h.text === null]),
      [
        [1, 'index', false],
        [2, 'body', false],
      ],
    );
    assert.deepEqual(asked, [1, 2]);
  });
});

describe('RFC 6352 §8.6: an exact index lookup decides its matches (issue #20, FN search)', () => {
  it('a single i;unicode-casemap text-match: every card the lookup returns matches without being parsed again', async () => {
    const store = storeWithIndex([CARDS[0]!.row, CARDS[1]!.row]);
    const { hits } = await queryObjects(store, 1, cardFilter(ADA));
    assert.deepEqual(
      hits.map((h) => [h.resource.id, h.decidedBy, h.text !== null]),
      [
        [1, 'index', true],
        [2, 'index', true],
      ],
    );
  });

  it('a text-match the index cannot decide (i;octet) is still checked on each card', async () => {
    const octet: CardFilter = {
      ...ADA,
      propFilters: [
        {
          ...ADA.propFilters[0]!,
          textMatches: [{ text: 'Ada', collation: 'i;octet', matchType: 'contains', negate: false }],
        },
      ],
    };
    const store = storeWithIndex([CARDS[0]!.row, CARDS[1]!.row, CARDS[2]!.row]);
    const { hits } = await queryObjects(store, 1, cardFilter(octet));
    assert.deepEqual(
      hits.map((h) => [h.resource.id, h.decidedBy]),
      [
        [1, 'body'],
        [2, 'body'],
      ],
    );
  });
});
