import { afterCommit, type ObjectChange } from '../domain/objects/commit-hooks.js';
import { ObjectRefused, type Refusal } from '../domain/objects/object-refused.js';
import type { Principal } from '../domain/objects/privileges.js';
import { rerunOnDeadlock } from '../domain/objects/rerun-on-deadlock.js';
import { writeObjectIn } from '../domain/objects/write-object.js';
import { DEFAULT_CONFIG } from '../http/config.js';
import type { Store, StoreTx } from '../store/store.js';

/** The server-wide limits an import's writes meet: a server's defaults (the import runs without one). */
export const IMPORT_LIMITS = DEFAULT_CONFIG;

/** One object of an import: where it goes and what it is. */
export interface ImportItem {
  readonly path: string;
  readonly body: Uint8Array;
  readonly contentType: string;
}

/**
 * Import a batch in one transaction through the domain's write path, as `owner`: the same
 * privileges, locks, limits, validation and change feed as a PUT (DESIGN: every writer, the
 * same rules, scheduling included: an imported meeting invites its attendees). An import never
 * replaces (If-None-Match: *). Returns each item's refusal, or null for an item written.
 */
export async function importBatch(
  store: Store,
  lockKey: string,
  owner: Principal,
  items: readonly ImportItem[],
): Promise<(Refusal | null)[]> {
  const changes: ObjectChange[] = [];
  const outcome = await rerunOnDeadlock(() =>
    store.transaction([lockKey], async (tx: StoreTx) => {
      changes.length = 0; // a rerun starts over (rerun-on-deadlock.ts)
      // One bump of each collection's feed for the batch, not one per object (issue #20); none
      // of the write path's reads looks at a feed or a collection's sync sequence.
      tx.recordChangesAtEnd();
      const out: (Refusal | null)[] = [];
      for (const item of items) {
        try {
          const { change } = await writeObjectIn(tx, {
            principal: owner,
            path: item.path,
            body: item.body,
            contentType: item.contentType,
            precondition: { kind: 'if-none-match' },
            origin: { via: 'import', feed: 'import' },
            limits: IMPORT_LIMITS,
          });
          changes.push(change);
          out.push(null);
        } catch (err) {
          if (!(err instanceof ObjectRefused)) throw err;
          out.push(err.refusal);
        }
      }
      return out;
    }),
  );
  for (const c of changes) afterCommit(c);
  return outcome;
}
