/**
 * The calendar half of `almanac import`: split objects written in batches (a transaction each)
 * through the one write path, `importBatch`. Issue #20 (5,000 events in under 3 s): preparing
 * an object (parse, validation, index) was about 40 % of the CPU, all on one thread; now the
 * prepare workers (import-prepare-pool.ts) prepare batch k+1 while batch k is written, and the
 * write path takes their results (domain/calendar/prepared-ahead.ts) instead of computing them
 * again. It still runs every check of every write.
 *
 * The workers prepare the first batch too. The main thread, which bounds the import, used to
 * prepare it itself while they started, and that took it ~0.5 s (its code not yet optimised,
 * the long series among the first objects); started by the command before it splits the file
 * and opens the store, a worker has the batch ready sooner. Interleaved runs of the bench's
 * 5,000-event file: 3.01 / 3.27 / 3.44 s before, 2.71 / 2.78 / 2.90 s after.
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
import type { PreparePool } from './import-prepare-pool.js';

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
  /** Started by the caller as early as it could; closed by the caller. */
  pool: PreparePool,
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
  try {
    // Keeping AHEAD batches queued, the workers never wait for the main thread. A batch the
    // workers could not prepare (none started, one died) the write path prepares itself.
    const ahead = (k: number): Promise<void> => pool.prepareAhead(batches[k] ?? [], limits);
    const queued = Array.from({ length: AHEAD }, (_, i) => ahead(i));
    for (const [k, items] of batches.entries()) {
      await queued.shift();
      queued.push(ahead(k + AHEAD));
      const refusals = await importBatch(store, homePaths(user).calendars, owner, items);
      onBatch(
        refusals.map((refusal, j) => ({ uid: objects[k * BATCH + j]?.uid ?? '', refusal })),
        Math.min((k + 1) * BATCH, objects.length),
      );
    }
  } finally {
    forgetPreparedAhead();
  }
}
