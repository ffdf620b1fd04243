/**
 * The one write path for calendar objects, cards and plain files: every writer (DAV PUT,
 * COPY/MOVE into a calendar or address book, SyncML Add/Replace, `almanac import`) stores an
 * object through `writeObject` (or, inside a transaction it already holds, `commitObject`).
 * docs/ARCHITECTURE.md, "The write path", walks through the steps.
 */
import { ahead } from '../cooperative.js';
import { parentPath } from '../../store/paths.js';
import type { Store, StoreReader, StoreTx } from '../../store/store.js';
import type { PutResult, Resource } from '../../store/types.js';
import { mayWritePerUserOnly, perUserOnlyWrite, storedEtag } from '../sharing/per-user-data.js';
import { previousTextAhead } from '../scheduling/implicit.js';
import {
  afterCommit,
  beforeCommit,
  beforeRead,
  type CommitOutcome,
  type ObjectChange,
  type ScheduledOutcome,
  type SchedulingOptions,
  type WriteOrigin,
} from './commit-hooks.js';
import { lockCardUid, memberLocks } from './lock-keys.js';
import { ObjectRefused } from './object-refused.js';
import { prepareObject, type ObjectSlot, type WriteLimits } from './prepare-object.js';
import { holds, type Principal, type Privilege } from './privileges.js';
import { refuseLocked } from './write-locks.js';
import { rerunOnDeadlock } from './rerun-on-deadlock.js';
import { quotaOf, refuseGrowth, refuseOverLimit } from '../quota/quota.js';

/** The request's own precondition on the current state (RFC 9110 §13.1.1 If-Match, §13.1.2 If-None-Match: *). */
type WritePrecondition =
  { readonly kind: 'none' } | { readonly kind: 'if-match'; readonly etag: string } | { readonly kind: 'if-none-match' };

/**
 * A protocol's own checks, run in the transaction once the principal may write the target
 * (DAV: RFC 9110 conditionals and the RFC 4918 §10.4 If header). Returns the lock tokens the
 * request submitted.
 */
export type RequestCheck = (reader: StoreReader, existing: Resource | null) => Promise<ReadonlySet<string>>;

interface WriteObjectRequest {
  readonly principal: Principal;
  /** The member path, e.g. `/calendars/alice/default/x.ics`. */
  readonly path: string;
  readonly body: Uint8Array;
  /** As the writer labelled it; undefined = unlabelled (sniffed where the type allows). */
  readonly contentType: string | undefined;
  readonly origin: WriteOrigin;
  readonly limits: WriteLimits;
  readonly precondition?: WritePrecondition;
  /** Only collections of these types are written (SyncML: calendars and address books). */
  readonly collectionTypes?: readonly string[];
  readonly check?: RequestCheck;
  /** Clock for lock expiry. */
  readonly now?: number;
  readonly scheduling?: SchedulingOptions;
}

interface WriteObjectResult {
  readonly created: boolean;
  readonly resource: Resource;
  /** The new strong entity tag. */
  readonly etag: string;
  /** Whether what was stored differs from what was sent (scheduling changed it: RFC 6638 §3.2; a sharee's per-user data). */
  readonly rewritten: boolean;
  /** RFC 6638 §3.2.10: the Schedule-Tag of a scheduling object resource; null for other objects. */
  readonly scheduleTag: string | null;
}

/** Refused with need-privileges (RFC 3744 §7.1.1) unless `principal` holds `privilege` on `r`. */
export function requirePrivilege(principal: Principal, r: Resource, privilege: Privilege): void {
  if (holds(principal, r, privilege)) return;
  throw new ObjectRefused(
    { code: 'need-privileges', path: r.path, isCollection: r.isCollection, privilege },
    `${principal.name} lacks ${privilege} on ${r.path}`,
  );
}

function checkPrecondition(p: WritePrecondition | undefined, existing: Resource | null): void {
  if (p?.kind === 'if-match' && existing?.etag !== p.etag) {
    throw new ObjectRefused(
      { code: 'precondition-failed', message: 'the entity tag does not match' },
      'If-Match failed',
    );
  }
  if (p?.kind === 'if-none-match' && existing) {
    throw new ObjectRefused({ code: 'precondition-failed', message: 'the resource exists' }, 'If-None-Match failed');
  }
}

/** The stored collection a member at `path` goes into; refused when there is none. */
export async function parentOf(reader: StoreReader, path: string): Promise<Resource> {
  const parent = await reader.getResource(parentPath(path));
  if (!parent || !parent.isCollection)
    throw new ObjectRefused({ code: 'no-parent' }, 'the parent collection does not exist');
  return parent;
}

/**
 * A slot the checks passed; `perUserOnly`: the writer may change only their per-user data in it.
 * `verdict`: a check still on its way (the lock check, whose read goes out with the prepare's:
 * issue #20), awaited before anything is decided; it rejects with the check's refusal.
 */
interface CheckedSlot extends ObjectSlot {
  readonly perUserOnly?: boolean;
  readonly verdict?: Promise<void>;
}

/**
 * The checks of a write, in order: the target is no collection and has a stored parent; the
 * principal holds write-content (replace) or bind (create); the request's preconditions; locks;
 * the collection's type, when the writer names the types it writes.
 */
async function checkWrite(tx: StoreTx, req: WriteObjectRequest): Promise<CheckedSlot> {
  const existing = await tx.getResource(req.path);
  if (existing?.isCollection)
    throw new ObjectRefused({ code: 'is-collection' }, 'cannot write an object over a collection');
  const parent = await parentOf(tx, req.path);
  // caldav-sharing §5.5.4: a read-only sharee may still write their own alarms (judged in commitObject).
  const perUserOnly =
    existing !== null &&
    !holds(req.principal, existing, 'write-content') &&
    (await mayWritePerUserOnly(tx, req.principal, parent, existing));
  if (existing && !perUserOnly) requirePrivilege(req.principal, existing, 'write-content');
  else if (!existing) requirePrivilege(req.principal, parent, 'bind');
  let submitted: ReadonlySet<string>;
  try {
    checkPrecondition(req.precondition, existing);
    submitted = req.check ? await req.check(tx, existing) : new Set<string>();
  } catch (err) {
    // RFC 7232 §5: preconditions count only for a request that would otherwise succeed, so a
    // read-only sharee's change of shared data is 403 whatever its If-Match (or If header).
    if (perUserOnly && existing) await refuseSharedChange(tx, req.principal, existing, req.body);
    throw err;
  }
  // Its read is sent now and its verdict awaited by commitObject, after the prepare's reads have
  // gone out too (one round trip on PostgreSQL where there were several). Refusals keep their
  // order: a lock first, then the collection's type, then what the prepare finds.
  const locked = ahead(
    refuseLocked(
      tx,
      req.principal,
      [{ path: req.path, bind: existing === null, subtree: false }],
      submitted,
      req.now ?? Date.now(),
    ),
  );
  if (req.collectionTypes && !req.collectionTypes.includes(parent.collectionType ?? '')) {
    await locked;
    throw new ObjectRefused(
      { code: 'wrong-collection-type', collectionType: parent.collectionType },
      `${parent.path} does not take this data`,
    );
  }
  return { parent, path: req.path, existing, perUserOnly, verdict: locked };
}

/**
 * Refused with need-privileges when `body` changes the shared data of `existing`, which its
 * read-only sharee may not (`perUserOnlyWrite`); a body that cannot be judged here (not
 * iCalendar yet, before preparing) is left to the other checks.
 */
async function refuseSharedChange(
  tx: StoreTx,
  principal: Principal,
  existing: Resource,
  body: Uint8Array,
): Promise<void> {
  try {
    await perUserOnlyWrite(tx, principal.id, existing, body);
  } catch (err) {
    if (err instanceof ObjectRefused && err.refusal.code === 'need-privileges') throw err;
  }
}

/**
 * The commit step every object write ends in, inside the caller's transaction and after its
 * checks: per-type prepare (validation, normalisation, index), the content etag, the
 * beforeCommit hook, and the one store write that records the change in the feed.
 */
export async function commitObject(
  tx: StoreTx,
  checked: CheckedSlot,
  content: { body: Uint8Array; contentType: string | undefined },
  change: { principal: Principal; origin: WriteOrigin; limits: WriteLimits; scheduling?: SchedulingOptions },
): Promise<PutResult & { scheduled: ScheduledOutcome }> {
  // A caller that did not lock before its checks (COPY/MOVE, LOCK) is locked here, and the
  // replaced object is read again under the lock; writeObjectIn already holds it.
  const slot = (await beforeRead(tx, checked.existing, content.body))
    ? { ...checked, existing: await tx.getResource(checked.path) }
    : checked;
  // The owner's quota and the prepare's reads are sent before any answer is awaited, with the
  // checks' pending read (issue #20: on PostgreSQL each awaited read is a round trip under the
  // area's lock); the checks' verdict still comes first. The quota is read ahead only for a
  // body that would grow the usage as sent (refuseGrowth reads it itself if the prepared body
  // grows where the sent one did not).
  const grows = !slot.existing || content.body.byteLength > slot.existing.size;
  const quota = !checked.perUserOnly && grows ? ahead(quotaOf(tx, slot.parent.ownerId)) : undefined;
  const preparing = ahead(prepareObject(tx, slot, content.body, content.contentType, change.limits));
  // What the write reads of the object it replaces goes with them too: its text, which
  // scheduling compares with the new one, and every user's per-user data, of which the stored
  // entity tag is made (issue #20: on PostgreSQL two round trips in turn under the lock before).
  const previous = checked.perUserOnly ? null : previousTextAhead(tx, slot.parent, slot.existing);
  const perUser = slot.existing ? ahead(tx.perUserDataOf(slot.existing.id)) : undefined;
  try {
    await checked.verdict;
  } catch (err) {
    // The transaction ends with this refusal: nothing of the write may still be reading in it.
    await Promise.allSettled([preparing, quota, previous, perUser]);
    throw err;
  }
  const prepared = await preparing;
  // RFC 4331: the collection's owner pays; refused before scheduling or the store writes anything.
  // (Scheduling's own body rewrite adds a few bytes to the organizer's copy; those are not refused.)
  // A read-only sharee's own alarms leave the stored body as it is: nothing grows.
  const limited =
    !checked.perUserOnly &&
    (await refuseGrowth(tx, slot.parent.ownerId, prepared.body.byteLength - (slot.existing?.size ?? 0), quota));
  const scheduled =
    slot.existing && checked.perUserOnly
      ? await perUserOnlyOutcome(tx, change.principal, slot.existing, prepared.body)
      : await beforeCommit(tx, {
          op: 'put',
          principal: change.principal,
          path: slot.path,
          parent: slot.parent,
          before: slot.existing,
          origin: change.origin,
          body: prepared.body,
          scheduling: change.scheduling,
          ...(previous ? { previous } : {}),
        });
  const { sharee } = scheduled;
  const body = scheduled.body ?? prepared.body;
  const put = await tx.putObject(slot.path, {
    ownerId: slot.parent.ownerId,
    body,
    contentType: prepared.contentType,
    etag: await storedEtag(tx, slot.existing, body, sharee, perUser),
    index: prepared.index,
    origin: change.origin.feed,
  });
  if (limited) await refuseOverLimit(tx, slot.parent.ownerId);
  if (sharee) await tx.putPerUserData(put.resource.id, sharee.userId, sharee.part);
  return { ...put, scheduled };
}

/**
 * A read-only sharee's write of their own alarms (§5.5.4): the stored body stays as it is (no
 * scheduling: the shared data did not change), their part goes to their per-user row.
 */
async function perUserOnlyOutcome(
  tx: StoreTx,
  principal: Principal,
  existing: Resource,
  body: Uint8Array,
): Promise<CommitOutcome> {
  const sharee = await perUserOnlyWrite(tx, principal.id, existing, body);
  return { body: sharee.body, scheduleTag: null, sharee };
}

/** Checks and commit of one write inside a transaction the caller holds (batches: `almanac import`). */
export async function writeObjectIn(
  tx: StoreTx,
  req: WriteObjectRequest,
): Promise<{ result: WriteObjectResult; change: ObjectChange }> {
  // Before the checks read the target (If-Match, Schedule-Tag): the scheduling lock (commit-hooks.ts).
  // The new body's UIDs first, so that the usual write (the UID it replaces is the same) reads its
  // target once, already under the lock; a replaced object with another UID is locked too and read
  // again (a deadlock this order allows is broken by the database and the write run again).
  await beforeRead(tx, null, req.body);
  await lockCardUid(tx, req.path, req.body);
  await beforeRead(tx, await tx.getResource(req.path), req.body);
  const slot = await checkWrite(tx, req);
  const put = await commitObject(tx, slot, req, req);
  const change: ObjectChange = {
    op: 'put',
    principal: req.principal,
    path: req.path,
    parent: slot.parent,
    before: slot.existing,
    origin: req.origin,
  };
  const result = {
    created: put.created,
    resource: put.resource,
    etag: put.resource.etag,
    rewritten: put.scheduled.body !== null,
    scheduleTag: put.scheduled.scheduleTag,
  };
  return { result, change };
}

/**
 * Write this object into that collection as this principal: one transaction, holding the user
 * area of the path shared and the path alone (lock-keys.ts memberLocks; run again if the
 * database broke a deadlock with it). Refusals are thrown as ObjectRefused.
 */
export async function writeObject(store: Store, req: WriteObjectRequest): Promise<WriteObjectResult> {
  const { result, change } = await rerunOnDeadlock(() =>
    store.transaction(memberLocks(req.path), (tx) => writeObjectIn(tx, req)),
  );
  afterCommit(change);
  return result;
}
