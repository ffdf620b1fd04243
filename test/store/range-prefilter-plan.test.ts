/**
 * The time-range prefilter of calendar queries and free-busy (RFC 4791 §9.9; store
 * `queryObjects`, span classes of store/sql/span-class.ts) is answered by SQLite from the
 * resources_range index alone (migration 27, issue #20): each span class is a range of the
 * index, last_end is tested in it, and the candidates' columns come from it — not a table
 * row per index entry, when the rows also carry bodies, intervals and stored expansions (at
 * 100,000 events the prefilter of a month took 1.7–2.6 ms that way, 0.9 ms from the index).
 * A UID lookup still seeks resources_uid. The plans are asked of SQLite for the statements the
 * store really runs.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ObjectQuery } from '../../src/store/types.js';
import { scratchSqliteStore, type ScratchStore } from '../helpers/scratch-store.js';
import { planOf, preparedStatements } from '../helpers/sqlite-plans.js';

let scratch: ScratchStore;
before(() => {
  scratch = scratchSqliteStore('almanac-range-plan-');
});
after(() => scratch.close());

const START = Date.UTC(2024, 5, 1);
const END = Date.UTC(2024, 6, 1);
const RANGES: Record<string, ObjectQuery> = {
  'a window': { component: 'VEVENT', rangeStart: START, rangeEnd: END },
  'a window open at its start': { component: 'VEVENT', rangeEnd: END },
  'a window open at its end': { component: 'VTODO', rangeStart: START },
};

describe('the time-range prefilter reads resources_range only (RFC 4791 §9.9, issue #20)', () => {
  for (const [name, q] of Object.entries(RANGES)) {
    it(`${name}: every span class is a search of the covering index, no table row read`, async () => {
      const sql = await preparedStatements(
        (s) => s.includes('span_class'),
        () => scratch.store.queryObjects(1, q),
      );
      assert.equal(sql.length, 1, 'one statement (UNION ALL of the span classes)');
      const plan = planOf(scratch.file, sql[0] as string, 1, START);
      const reads = plan.filter((d) => /\b(SEARCH|SCAN) resources\b/.test(d));
      assert.ok(reads.length >= 6, plan.join('\n'));
      for (const d of reads) {
        assert.match(
          d,
          /^SEARCH resources USING COVERING INDEX resources_range \(parent_id=\? AND component=\? AND span_class=\?/,
          plan.join('\n'),
        );
      }
    });
  }
});

describe('a UID lookup seeks resources_uid, not the covering range index (RFC 4791 §5.3.2, issue #20)', () => {
  // Every PUT of a calendar object looks its UID up in its collection (the no-uid-conflict
  // precondition): with the covering resources_range chosen instead, each PUT read every member.
  for (const q of [{ uid: 'u' }, { component: 'VEVENT', uid: 'u' }]) {
    it(`${JSON.stringify(q)}: SEARCH resources_uid (parent_id=? AND uid=?)`, async () => {
      const sql = await preparedStatements(
        (s) => s.includes('uid = ?'),
        () => scratch.store.queryObjects(1, q),
      );
      assert.equal(sql.length, 1, 'one statement');
      const plan = planOf(scratch.file, sql[0] as string, 1, 'u');
      assert.ok(
        plan.some((d) => /^SEARCH resources USING INDEX resources_uid \(parent_id=\? AND uid=\?\)/.test(d)),
        plan.join('\n'),
      );
    });
  }
});
