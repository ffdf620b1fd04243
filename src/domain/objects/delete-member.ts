import { previousTextAhead } from '../scheduling/implicit.js';
import { ahead } from '../cooperative.js';
import type { Store, StoreTx } from '../../store/store.js';
import type { Resource } from '../../store/types.js';
import {
  afterCommit,
  beforeCommit,
  beforeRead,
  type ObjectChange,
  type SchedulingOptions,
  type WriteOrigin,
} from './commit-hooks.js';
import { areaKeys } from './lock-keys.js';
import { ObjectRefused } from './object-refused.js';
import type { Principal } from './privileges.js';
import { refuseLocked } from './write-locks.js';
import { parentOf, requirePrivilege, type RequestCheck } from './write-object.js';
import { rerunOnDeadlock } from './rerun-on-deadlock.js';

interface DeleteMemberRequest {
  readonly principal: Principal;
  /** The member to remove: an object, or a collection with everything in it. */
  readonly path: string;
  readonly origin: WriteOrigin;
  readonly check?: RequestCheck;
  readonly now?: number;
  readonly scheduling?: SchedulingOptions;
}

/**
 * The one delete of the domain (DAV DELETE, the source of a MOVE, SyncML Delete): the parent is
 * a stored collection the principal holds unbind on (RFC 3744 §3.10), the member exists, the
 * request's own checks and the locks on it, its parent and below it (RFC 4918 §9.6.1) hold;
 * then the beforeCommit hook and the store's delete, which records the change in the feed.
 */
async function deleteMemberIn(tx: StoreTx, req: DeleteMemberRequest): Promise<ObjectChange> {
  // Before the checks read the member (If-Match, Schedule-Tag): the scheduling lock (commit-hooks.ts).
  await beforeRead(tx, await tx.getResource(req.path), null);
  // The member is read with its parent (issue #20: one round trip on PostgreSQL, not two); it
  // decides nothing before the parent's checks have passed.
  const member = ahead(tx.getResource(req.path)); // awaited below, unless a check of the parent refuses first
  let parent: Resource;
  try {
    parent = await parentOf(tx, req.path);
  } catch (err) {
    if (err instanceof ObjectRefused)
      throw new ObjectRefused({ code: 'not-removable' }, 'this resource cannot be deleted');
    throw err;
  }
  requirePrivilege(req.principal, parent, 'unbind');
  const existing = await member;
  if (!existing) throw new ObjectRefused({ code: 'not-found' }, `nothing at ${req.path}`);
  const submitted = req.check ? await req.check(tx, existing) : new Set<string>();
  // What scheduling reads of the member (its text, RFC 6638 §3.2.8: a cancel or a reply) goes
  // with the lock checks' reads.
  const previous = previousTextAhead(tx, parent, existing);
  try {
    await refuseLocked(
      tx,
      req.principal,
      [{ path: req.path, bind: true, subtree: true }],
      submitted,
      req.now ?? Date.now(),
    );
  } catch (err) {
    await previous?.catch(() => undefined); // nothing of the delete still reading when it ends
    throw err;
  }
  const change: ObjectChange = {
    op: 'delete',
    principal: req.principal,
    path: req.path,
    parent,
    before: existing,
    origin: req.origin,
    scheduling: req.scheduling,
    ...(previous ? { previous } : {}),
  };
  await commitDelete(tx, change);
  return change;
}

/** The commit step of every delete, after its checks: the beforeCommit hook, then the store's delete. */
export async function commitDelete(tx: StoreTx, checked: ObjectChange): Promise<void> {
  // A caller that did not lock before its checks (MOVE) is locked here and reads the member again.
  // (Then whatever was read of it ahead is read again too.)
  const change = (await beforeRead(tx, checked.before, null))
    ? { ...checked, before: await tx.getResource(checked.path), previous: undefined }
    : checked;
  await beforeCommit(tx, change);
  await tx.deleteResource(change.path, change.origin.feed);
}

/** Delete this member as this principal, in one transaction locked on its user area. */
export async function deleteMember(store: Store, req: DeleteMemberRequest): Promise<void> {
  const change = await rerunOnDeadlock(() => store.transaction(areaKeys(req.path), (tx) => deleteMemberIn(tx, req)));
  afterCommit(change);
}
