/**
 * The calendar half of `almanac import`: split objects written in batches (a transaction each)
 * through the one write path, `importBatch`. Issue #20 (5,000 events in under 3 s): preparing
 * an object (parse, validation, index) was about 40 % of the CPU, all on one thread; now the
 * prepare workers (import-prepare-pool.ts) prepare batch k+1 while batch k is written, and the
 * write path takes their results (domain/calendar/prepared-ahead.ts) instead of computing them
 * again. It still runs every check of every write.
 */
import { forgetPreparedAhead } from '../domain/calendar/object.js';
import { objectName } from '../domain/calendar/object-name.js';
import type { Refusal } from '../domain/objects/object-refused.js';
import { calendarLimitsOf } from '../domain/objects/prepare-object.js';
import type { Principal } from '../domain/objects/privileges.js';
import { homePaths } from '../domain/users.js';
import type { Store } from '../store/store.js';
import type { Resource } from '../store/types.js';
import { importBatch, IMPORT_LIMITS, type ImportItem } from './import-object.js';
import { PreparePool } from './import-prepare-pool.js';

const BATCH = 200;
/** Batches queued in the workers ahead of the one written. */
const AHEAD = 2;

/** What became of one object: null = written. */
export interface ImportOutcome {
  readonly uid: string;
  readonly refusal: Refusal | null;
}

/**
 * Write `objects` into the calendar `coll` of `user`, as its owner; `onBatch` hears of each
 * batch's outcomes and how many objects are done.
 */
export async function importCalendarObjects(
  store: Store,
  coll: Resource,
  user: string,
  objects: readonly { readonly uid: string; readonly text: string }[],
  onBatch: (outcomes: readonly ImportOutcome[], done: number) => void,
): Promise<void> {
  const owner: Principal = { id: coll.ownerId, name: user };
  const batches: ImportItem[][] = [];
  for (let i = 0; i < objects.length; i += BATCH) {
    batches.push(
      objects.slice(i, i + BATCH).map((o) => ({
        path: `${coll.path}/${objectName(o.uid)}`,
        body: new TextEncoder().encode(o.text),
        contentType: 'text/calendar',
      })),
    );
  }
  // The limits the write path will apply; a result prepared under others is never used.
  const limits = await calendarLimitsOf(store, coll, IMPORT_LIMITS);
  const pool = PreparePool.start();
  try {
    // The write path prepares batch 0 itself while the workers start and prepare batches 1
    // and 2. Keeping AHEAD batches queued, the workers never wait for the main thread.
    const ahead = (k: number): Promise<void> => pool.prepareAhead(batches[k] ?? [], limits);
    const queued = Array.from({ length: AHEAD }, (_, i) => ahead(i + 1));
    for (const [k, items] of batches.entries()) {
      if (k > 0) {
        await queued.shift();
        queued.push(ahead(k + AHEAD));
      }
      const refusals = await importBatch(store, homePaths(user).calendars, owner, items);
      onBatch(
        refusals.map((refusal, j) => ({ uid: objects[k * BATCH + j]?.uid ?? '', refusal })),
        Math.min((k + 1) * BATCH, objects.length),
      );
    }
  } finally {
    forgetPreparedAhead();
    await pool.close();
  }
}
