import { refuseLocked, type WriteScope } from '../../domain/objects/write-locks.js';
import { header, type DavContext } from './context.js';
import { DavError } from './errors.js';
import { realPathOf } from './mount.js';
import { evaluateIf, parseIfHeader, submittedTokens, type IfList, type IfResourceState } from './if-header.js';
import type { LocksReader, StoreReader } from '../../store/store.js';
import { etagOf, resolve, storedResource, type ResolveReader } from './resource.js';
import { checkConditionals } from './conditional.js';
import type { RequestCheck } from '../../domain/objects/write-object.js';
import type { Resource } from '../../store/types.js';
import { inForeignArea } from '../acl/privileges.js';
import { asDav } from './object-refusal.js';

/** What evaluating an If header reads: the locks, and the resources it names (their entity tags). */
type IfHeaderReader = LocksReader & ResolveReader;

export type { WriteScope } from '../../domain/objects/write-locks.js';

/** How an If-list sees a resource it may not know about. */
const UNKNOWN: IfResourceState = { etag: null, lockTokens: new Set() };

function ifLists(ctx: DavContext): IfList[] | null {
  const v = header(ctx, 'if');
  if (v === undefined) return null;
  const lists = parseIfHeader(v);
  const { mount } = ctx;
  // A tag through a sharee's instance names the shared collection's resource (dav/core/mount.ts).
  return mount
    ? lists.map((l) => (l.resource === null ? l : { ...l, resource: realPathOf(mount, l.resource) }))
    : lists;
}

/** The If header must hold (else 412), independent of locks (RFC 4918 §10.4). */
export async function checkIfHeader(ctx: DavContext, reader: IfHeaderReader): Promise<Set<string>> {
  const lists = ifLists(ctx);
  if (!lists) return new Set();
  const ok = await evaluateIf(lists, ctx.path, async (path) => {
    // RFC 3744 §7.1.1 with RFC 4918 §10.4.4: a resource the user may not read is evaluated as
    // an unmapped URL is — no entity tag, no locks — so the outcome says nothing about it.
    if (inForeignArea(ctx.user, path)) return UNKNOWN;
    const r = await resolve(reader, path);
    const locks = await reader.locksCovering(path, ctx.now);
    return { etag: r ? etagOf(r) : null, lockTokens: new Set(locks.map((l) => l.token)) };
  });
  if (!ok) throw new DavError(412, 'the If header condition does not hold');
  return submittedTokens(lists);
}

/**
 * The preconditions every write shares: the If header holds, and the lock token of every lock
 * the write touches was submitted by the lock's owner (else 423 DAV:lock-token-submitted).
 */
export async function checkWrite(
  ctx: DavContext,
  reader: IfHeaderReader,
  scopes: readonly WriteScope[],
): Promise<void> {
  const submitted = await checkIfHeader(ctx, reader);
  await asDav(() => refuseLocked(reader, ctx.user, scopes, submitted, ctx.now));
}

/** RFC 9110 §13 conditionals and the RFC 4918 §10.4 If header, as the domain write's request check. */
export function davRequestCheck(ctx: DavContext): RequestCheck {
  return async (reader: StoreReader, existing: Resource | null): Promise<ReadonlySet<string>> => {
    checkConditionals(ctx, existing ? storedResource(existing) : null);
    return checkIfHeader(ctx, reader);
  };
}
