import type { StoreTx } from '../../store/store.js';
import type { Resource } from '../../store/types.js';
import { scheduleWrite, type ScheduledOutcome, type SchedulingOptions } from '../scheduling/implicit.js';
import { lockSchedulingObject } from '../scheduling/uid-lock.js';
import { isShareeOf, splitShareeWrite, type ShareeWrite } from '../sharing/per-user-data.js';
import { refuseForeignOrganizer } from '../sharing/sharee-scheduling.js';
import { requireScheduleSend } from '../scheduling/send-privilege.js';
import type { Principal } from './privileges.js';

export type { ScheduledOutcome, SchedulingOptions } from '../scheduling/implicit.js';

/** Who a write came in through. The web app's import writes through DAV PUT (its own client). */
type WriteVia = 'dav' | 'syncml' | 'import' | 'web';

export interface WriteOrigin {
  readonly via: WriteVia;
  /** Recorded in the change feed (`origin`): SyncML skips echoing a device's own edits; null = none. */
  readonly feed: string | null;
}

/** A change about to be committed, or just committed, by the domain write path. */
export interface ObjectChange {
  readonly op: 'put' | 'delete';
  readonly principal: Principal;
  readonly path: string;
  readonly parent: Resource;
  /** The resource as it was before the change; null for a create. */
  readonly before: Resource | null;
  readonly origin: WriteOrigin;
  /** A put's new body, as prepared for storing (absent for deletes). */
  readonly body?: Uint8Array;
  /** What the request said about scheduling (DAV: the Schedule-Reply header). */
  readonly scheduling?: SchedulingOptions;
  /** The replaced object's text, read ahead by the write (scheduling's `previousTextAhead`). */
  readonly previous?: Promise<string | null>;
}

/**
 * Called first in a write's transaction, before the write reads the object it replaces for its
 * checks: scheduling locks the event's UID across nodes (RFC 6638 §3.2; scheduling/uid-lock.ts),
 * so the copies of one event are read and rewritten by one write at a time. `existing` is the
 * object at the path (null: none), `body` the new content (null: a delete). Resolves true when
 * the write must read again what it read before the lock.
 */
export function beforeRead(tx: StoreTx, existing: Resource | null, body: Uint8Array | null): Promise<boolean> {
  return lockSchedulingObject(tx, existing, body);
}

/** What `beforeCommit` decided: the body to store instead of the one prepared (null: that one), and a sharee's split. */
export interface CommitOutcome extends ScheduledOutcome {
  readonly sharee: ShareeWrite | null;
}

/**
 * THE place where scheduling and sharing hook into every write (docs/ARCHITECTURE.md, "The
 * write path"): called inside the write's transaction, after every check and the per-type
 * prepare, just before the store records the change. Implicit scheduling (RFC 6638 §3.2: an
 * organizer's write sends iTIP to attendees' inboxes) and per-share rules belong here, so
 * their effects commit with the write or not at all. Returns the body to store instead of
 * `change.body` when scheduling or sharing changed it (the organizer's SEQUENCE and
 * SCHEDULE-STATUS, a Schedule-Tag merge; a sharee's per-user parts taken out), the resource's
 * new Schedule-Tag, and a sharee's own part, which the caller stores with the object.
 */
export async function beforeCommit(tx: StoreTx, change: ObjectChange): Promise<CommitOutcome> {
  const byOwner = change.principal.id === change.parent.ownerId;
  const isSharee = !byOwner && (await isShareeOf(tx, change.principal, change.parent));
  const sharee = change.body && isSharee ? change.body : null;
  // caldav-sharing §5.5.5: a sharee schedules as the sharer, who must be the ORGANIZER.
  if (sharee) await refuseForeignOrganizer(tx, change.parent, change.before, sharee);
  // §5.5.4: a sharee's TRANSP and VALARMs are theirs; the shared body keeps the owner's.
  const split = sharee ? await splitShareeWrite(tx, change.principal.id, change.before, sharee) : null;
  // RFC 6638 §3.2 implicit scheduling (domain/scheduling/), on the shared body.
  const scheduled = await scheduleWrite(tx, {
    op: change.op,
    path: change.path,
    parent: change.parent,
    before: change.before,
    body: split?.body ?? change.body ?? null,
    options: change.scheduling,
    ...(change.previous ? { previous: change.previous } : {}),
    // RFC 6638 §6.2: anyone else sends for the owner only with the owner's schedule-send.
    ...(byOwner || isSharee
      ? {}
      : {
          mayMessage: (kind: 'invite' | 'reply') =>
            requireScheduleSend(tx, change.principal, change.parent.ownerId, kind),
        }),
  });
  return { ...scheduled, body: scheduled.body ?? split?.body ?? null, sharee: split };
}

/**
 * Called once the write's transaction committed: for work that must not hold the area lock
 * (delivering iTIP to other servers, notifying sharees). Push already learns of every change
 * from the store's change feed (src/push/notifying-store.ts).
 */
export function afterCommit(_change: ObjectChange): void {
  // Nothing yet: the single place for post-commit scheduling/sharing work.
}
