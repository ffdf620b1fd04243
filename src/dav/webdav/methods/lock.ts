import { randomUUID } from 'node:crypto';
import { el, firstChild, isElement, type XmlElement } from '../../../xml/element.js';
import { dav } from '../../../xml/names.js';
import { serializeXml } from '../../../xml/write.js';
import type { Lock, LockScope } from '../../../store/types.js';
import { header, type DavContext, type DavResponse } from '../../core/context.js';
import { checkConditionals } from '../../core/conditional.js';
import { DavError } from '../../core/errors.js';
import { parseIfHeader } from '../../core/if-header.js';
import { checkIfHeader, checkWrite } from '../../core/locking.js';
import { xmlResponse } from '../../core/multistatus.js';
import { hrefOf } from '../../core/paths.js';
import type { MethodDef } from '../../core/registry.js';
import { areaKeys, depthOf, readXmlBody } from '../../core/request.js';
import { resolve } from '../../core/resource.js';
import { requirePrivilege } from '../../acl/privileges.js';
import { activeLockXml } from '../lock-xml.js';
import { parentCollection } from '../../core/members.js';
import { asDav } from '../../core/object-refusal.js';
import { commitObject } from '../../../domain/objects/write-object.js';

interface LockInfo {
  readonly scope: LockScope;
  readonly ownerXml: string | null;
}

function parseLockInfo(root: XmlElement): LockInfo {
  if (root.name !== dav('lockinfo')) throw DavError.badRequest('LOCK body must be a DAV:lockinfo element');
  const scopeEl = firstChild(root, dav('lockscope'))?.children.find(isElement);
  const typeEl = firstChild(root, dav('locktype'))?.children.find(isElement);
  if (!scopeEl || !typeEl) throw DavError.badRequest('lockinfo needs lockscope and locktype');
  if (typeEl.name !== dav('write')) throw new DavError(422, 'only write locks are supported');
  const scope = scopeEl.name === dav('exclusive') ? 'exclusive' : scopeEl.name === dav('shared') ? 'shared' : null;
  if (!scope) throw DavError.badRequest('lockscope must be exclusive or shared');
  const owner = firstChild(root, dav('owner'));
  return { scope, ownerXml: owner ? serializeXml(owner, false) : null };
}

/** `Timeout: Second-N, Infinite` (RFC 4918 §10.7): the first usable value, capped by the server. */
function timeoutOf(ctx: DavContext): number {
  const max = ctx.settings.maxLockSeconds;
  for (const part of (header(ctx, 'timeout') ?? '').split(',')) {
    const v = part.trim();
    if (/^infinite$/i.test(v)) return max;
    const m = /^second-(\d+)$/i.exec(v);
    if (m) return Math.max(1, Math.min(Number(m[1]), max));
  }
  return Math.min(3600, max);
}

function lockResponse(status: number, lock: Lock, now: number, extra: Record<string, string> = {}): DavResponse {
  return xmlResponse(status, el(dav('prop'), {}, el(dav('lockdiscovery'), {}, activeLockXml(lock, now))), extra);
}

/** RFC 4918 §9.10: create a lock (§9.10.3), lock an unmapped URL (§9.10.4) or refresh (§9.10.2). */
async function lock(ctx: DavContext): Promise<DavResponse> {
  const body = await readXmlBody(ctx);
  const seconds = timeoutOf(ctx);
  if (!body) {
    // Refresh: the lock is identified by the If header.
    const ifValue = header(ctx, 'if');
    if (!ifValue) throw DavError.badRequest('a LOCK refresh needs an If header naming the lock');
    return ctx.store.transaction(areaKeys(ctx.path), async (tx) => {
      await checkIfHeader(ctx, tx);
      const tokens = parseIfHeader(ifValue)
        .flatMap((l) => l.conditions.map((c) => c.token))
        .filter((t): t is string => !!t);
      const covering = await tx.locksCovering(ctx.path, ctx.now);
      const target = covering.find((l) => tokens.includes(l.token));
      if (!target) throw new DavError(412, 'no lock named in the If header covers this resource');
      if (target.principalId !== ctx.user.id) throw new DavError(403, 'only the lock owner can refresh it');
      await tx.refreshLock(target.token, seconds, ctx.now + seconds * 1000);
      return lockResponse(200, { ...target, timeoutSeconds: seconds, expiresAt: ctx.now + seconds * 1000 }, ctx.now);
    });
  }
  const info = parseLockInfo(body);
  const depthHeader = depthOf(ctx, 'infinity');
  if (depthHeader === '1') throw DavError.badRequest('LOCK Depth must be 0 or infinity');
  return ctx.store.transaction(areaKeys(ctx.path), async (tx) => {
    const r = await resolve(tx, ctx.path);
    if (r && r.kind !== 'stored') throw new DavError(403, 'this resource cannot be locked');
    if (r) requirePrivilege(ctx.user, r, 'write-content');
    checkConditionals(ctx, r);
    await checkIfHeader(ctx, tx);
    const depth = r?.isCollection && depthHeader === 'infinity' ? 'infinity' : 0;
    const conflicts = [
      ...(await tx.locksCovering(ctx.path, ctx.now)),
      ...(depth === 'infinity' ? await tx.locksWithin(ctx.path, ctx.now) : []),
    ];
    if (conflicts.some((l) => l.scope === 'exclusive' || info.scope === 'exclusive')) {
      throw DavError.condition(
        'no-conflicting-lock',
        'a conflicting lock exists',
        conflicts.map((l) => el(dav('href'), {}, hrefOf(l.path, false))),
      );
    }
    let created = false;
    if (!r) {
      if (ctx.trailingSlash) throw new DavError(409, 'cannot lock an unmapped collection URL');
      const parent = await parentCollection(tx, ctx.path);
      requirePrivilege(ctx.user, parent, 'bind');
      await checkWrite(ctx, tx, [{ path: ctx.path, bind: true, subtree: false }]);
      if (!parent.stored) throw new DavError(409, 'the parent collection does not exist');
      // RFC 4918 §7.3: an empty resource, placed by the domain's commit step like any write (a
      // calendar or address book refuses an empty body as invalid data; a home takes no objects).
      const slot = { parent: parent.stored, path: ctx.path, existing: null };
      const content = { body: new Uint8Array(0), contentType: undefined };
      await asDav(() =>
        commitObject(tx, slot, content, {
          principal: ctx.user,
          origin: { via: 'dav', feed: null },
          limits: ctx.settings,
        }),
      );
      created = true;
    }
    const newLock: Lock = {
      token: `urn:uuid:${randomUUID()}`,
      path: ctx.path,
      depth,
      scope: info.scope,
      ownerXml: info.ownerXml,
      principalId: ctx.user.id,
      timeoutSeconds: seconds,
      expiresAt: ctx.now + seconds * 1000,
      createdAt: ctx.now,
    };
    await tx.createLock(newLock);
    return lockResponse(created ? 201 : 200, newLock, ctx.now, { 'Lock-Token': `<${newLock.token}>` });
  });
}

/** RFC 4918 §9.11. */
async function unlock(ctx: DavContext): Promise<DavResponse> {
  const m = /^\s*<([^>]+)>\s*$/.exec(header(ctx, 'lock-token') ?? '');
  if (!m?.[1]) throw DavError.badRequest('UNLOCK needs a Lock-Token header');
  const token = m[1];
  await ctx.store.transaction(areaKeys(ctx.path), async (tx) => {
    const r = await resolve(tx, ctx.path);
    if (!r) throw DavError.notFound();
    const covering = await tx.locksCovering(ctx.path, ctx.now);
    const target = covering.find((l) => l.token === token);
    if (!target) throw DavError.condition('lock-token-matches-request-uri', 'that lock does not cover this resource');
    if (target.principalId !== ctx.user.id) requirePrivilege(ctx.user, r, 'unlock');
    await tx.deleteLock(token);
  });
  return { status: 204 };
}

export const lockMethod: MethodDef = { name: 'LOCK', privilege: 'write-content', allowedOn: () => true, handle: lock };
export const unlockMethod: MethodDef = {
  name: 'UNLOCK',
  privilege: 'unlock',
  allowedOn: (r) => r !== null,
  handle: unlock,
};
