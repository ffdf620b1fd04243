import { el } from '../../xml/element.js';
import { dav } from '../../xml/names.js';
import type { Lock } from '../../store/types.js';
import { parentPath } from '../../store/paths.js';
import { header, type DavContext } from './context.js';
import { DavError } from './errors.js';
import { evaluateIf, parseIfHeader, submittedTokens, type IfList, type IfResourceState } from './if-header.js';
import { hrefOf } from './paths.js';
import type { LocksReader, ObjectsReader, UsersReader } from '../../store/store.js';
import { etagOf, resolve } from './resource.js';
import { inForeignArea } from '../acl/privileges.js';

/** What evaluating an If header reads: the locks, and the resources it names (their entity tags). */
type IfHeaderReader = LocksReader & UsersReader & ObjectsReader;

/** What a write does to a path, for lock checks (RFC 4918 §7). */
export interface WriteScope {
  readonly path: string;
  /** Adds or removes the path as a member of its parent: the parent's locks apply too. */
  readonly bind: boolean;
  /** Affects everything below the path too (DELETE, MOVE source, COPY/MOVE overwrite). */
  readonly subtree: boolean;
}

/** How an If-list sees a resource it may not know about. */
const UNKNOWN: IfResourceState = { etag: null, lockTokens: new Set() };

function ifLists(ctx: DavContext): IfList[] | null {
  const v = header(ctx, 'if');
  return v === undefined ? null : parseIfHeader(v);
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

/** Locks a write to these scopes must hold the tokens of. */
export async function locksAffecting(ctx: DavContext, reader: LocksReader, scopes: readonly WriteScope[]): Promise<Lock[]> {
  const found = new Map<string, Lock>();
  for (const s of scopes) {
    const lists = [await reader.locksCovering(s.path, ctx.now)];
    if (s.bind && s.path !== '/') {
      // A depth-0 lock on the parent protects its membership; depth-infinity ones are covering already.
      lists.push(await reader.locksCovering(parentPath(s.path), ctx.now));
    }
    if (s.subtree) lists.push(await reader.locksWithin(s.path, ctx.now));
    for (const l of lists.flat()) found.set(l.token, l);
  }
  return [...found.values()];
}

/**
 * The preconditions every write shares: the If header holds, and the lock token of every lock
 * the write touches was submitted by the lock's owner (else 423 DAV:lock-token-submitted).
 */
export async function checkWrite(ctx: DavContext, reader: IfHeaderReader, scopes: readonly WriteScope[]): Promise<void> {
  const submitted = await checkIfHeader(ctx, reader);
  const missing = (await locksAffecting(ctx, reader, scopes)).filter((l) => !submitted.has(l.token) || l.principalId !== ctx.user.id);
  if (missing.length > 0) {
    throw DavError.condition('lock-token-submitted', 'the resource is locked and no lock token was submitted for it',
      missing.map((l) => el(dav('href'), {}, hrefOf(l.path, false))));
  }
}
