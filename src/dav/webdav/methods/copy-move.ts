import type { StoreTx } from '../../../store/store.js';
import { parentPath } from '../../../store/paths.js';
import { header, type DavContext, type DavResponse } from '../../core/context.js';
import { checkConditionals } from '../../core/conditional.js';
import { DavError } from '../../core/errors.js';
import { checkWrite } from '../../core/locking.js';
import { hrefOf, storePathOfUri } from '../../core/paths.js';
import type { MethodDef } from '../../core/registry.js';
import { areaKeys, depthOf } from '../../core/request.js';
import { resolve, type DavResource } from '../../core/resource.js';
import { requireAreaAccess, requirePrivilege } from '../../acl/privileges.js';
import { mustExist, parentCollection } from '../../core/members.js';
import { asDav } from '../../core/object-refusal.js';
import { commitObject } from '../../../domain/objects/write-object.js';
import { commitDelete } from '../../../domain/objects/delete-member.js';
import { withinQuota } from '../../../domain/quota/quota.js';
import {
  holdsTypedObjects,
  refuseObjectInHome,
  refuseUidChange,
  type ObjectSlot,
} from '../../../domain/objects/prepare-object.js';
import type { Resource } from '../../../store/types.js';
import { isShareeOf } from '../../../domain/sharing/per-user-data.js';
import { realPathOf } from '../../core/mount.js';
import { mountFor } from '../../sharing/mount.js';

/**
 * The Destination's store path, and the path as the client named it. A Destination below one of
 * the user's instances names the shared collection's member there (dav/core/mount.ts); an
 * instance itself is no place to copy or move to (it would replace the shared collection).
 */
async function destinationOf(ctx: DavContext): Promise<{ path: string; named: string }> {
  const dest = header(ctx, 'destination');
  if (!dest) throw DavError.badRequest('Destination header is required');
  const named = storePathOfUri(dest.trim());
  if (named === null) throw new DavError(502, 'the destination is not on this server');
  const mount = await mountFor(ctx.store, ctx.user, named);
  if (mount && named === mount.instancePath)
    throw new DavError(403, 'a shared collection cannot be replaced through a sharee’s instance');
  const path = mount ? realPathOf(mount, named) : named;
  // A destination in another user's area is refused before anything there is looked up (its
  // parent missing, a member there or not, Overwrite: F would each answer differently).
  requireAreaAccess(ctx.user, path, hrefOf(named, /\/\s*$/.test(dest)), 'bind');
  return { path, named };
}

/** Copy `from` (and, for depth infinity, its members) to the unmapped path `to`, with dead properties. */
async function copyTree(tx: StoreTx, from: string, to: string, deep: boolean, ownerId: number): Promise<void> {
  const root = await tx.getResource(from);
  if (!root) throw DavError.notFound();
  const rows = deep && root.isCollection ? [root, ...(await tx.listDescendants(from))] : [root];
  for (const r of rows) {
    const target = to + r.path.slice(from.length);
    const created = r.isCollection
      ? await tx.createCollection(target, { ownerId, collectionType: r.collectionType })
      : (
          await tx.putObject(target, {
            ownerId,
            body: await tx.readBody(r.id),
            contentType: r.contentType,
            etag: r.etag,
            index: {
              uid: r.uid,
              component: r.component,
              firstStart: r.firstStart,
              lastEnd: r.lastEnd,
              spanExact: r.spanExact,
              search: await tx.getSearchEntries(r.id),
            },
          })
        ).resource;
    const props = await tx.getProperties(r.id);
    if (props.length > 0) await tx.patchProperties(created.id, props, []);
  }
}

/**
 * Copy (or move) the object `source` into the slot, as the domain's write (and delete) commit
 * steps. `slot.existing` is the object the destination held (already removed): the write must keep
 * its UID (RFC 4791 §5.3.2.1, RFC 6352 §6.3.2.1).
 */
async function placeObject(
  ctx: DavContext,
  tx: StoreTx,
  source: Resource,
  slot: ObjectSlot,
  move: boolean,
): Promise<void> {
  const origin = { via: 'dav', feed: null } as const;
  const body = await tx.readBody(source.id);
  const put = await asDav(() =>
    commitObject(
      tx,
      slot,
      { body, contentType: header(ctx, 'content-type') },
      { principal: ctx.user, origin, limits: ctx.settings },
    ),
  );
  const props = await tx.getProperties(source.id);
  if (props.length > 0)
    await asDav(() => withinQuota(tx, put.resource.ownerId, () => tx.patchProperties(put.resource.id, props, [])));
  if (!move) return;
  const sourceParent = await tx.getResource(parentPath(source.path));
  if (sourceParent)
    await commitDelete(tx, {
      op: 'delete',
      principal: ctx.user,
      path: source.path,
      parent: sourceParent,
      before: source,
      origin,
    });
}

interface Transfer {
  readonly from: string;
  readonly to: string;
  /** The destination as the client named it (through an instance, the instance's path). */
  readonly toNamed: string;
  readonly move: boolean;
  readonly overwrite: boolean;
}

async function transferOf(ctx: DavContext, move: boolean): Promise<Transfer> {
  const { path: to, named: toNamed } = await destinationOf(ctx);
  const overwriteHeader = header(ctx, 'overwrite')?.trim().toUpperCase() ?? 'T';
  if (overwriteHeader !== 'T' && overwriteHeader !== 'F') throw DavError.badRequest('Overwrite must be T or F');
  const from = ctx.path;
  if (to === from) throw new DavError(403, 'source and destination are the same');
  if (to.startsWith(`${from}/`) || from.startsWith(`${to}/`)) {
    throw new DavError(409, 'cannot copy or move a collection into itself or onto an ancestor');
  }
  return { from, to, toNamed, move, overwrite: overwriteHeader === 'T' };
}

/** The source: stored, readable, (MOVE) removable from its parent, its conditionals met; and the depth. */
async function checkedSource(
  ctx: DavContext,
  tx: StoreTx,
  t: Transfer,
): Promise<{ source: DavResource & { stored: Resource }; depth: string }> {
  const source = mustExist(await resolve(tx, t.from));
  if (source.kind !== 'stored' || !source.stored) throw new DavError(403, 'this resource cannot be copied or moved');
  const depth = depthOf(ctx, 'infinity');
  if (source.isCollection && (depth === '1' || (t.move && depth !== 'infinity'))) {
    throw DavError.badRequest(
      t.move ? 'MOVE of a collection must have Depth: infinity' : 'COPY Depth must be 0 or infinity',
    );
  }
  requirePrivilege(ctx.user, source, 'read');
  if (t.move) {
    const sourceParent = mustExist(await resolve(tx, parentPath(t.from)));
    if (sourceParent.kind !== 'stored' || !sourceParent.stored)
      throw new DavError(403, 'this resource cannot be moved');
    requirePrivilege(ctx.user, sourceParent, 'unbind');
    // caldav-sharing §5.5.5 item 2: a sharee renames within a shared calendar, never moves out of it.
    if (parentPath(t.to) !== parentPath(t.from) && (await isShareeOf(tx, ctx.user, sourceParent.stored)))
      throw new DavError(403, 'a sharee cannot move an object out of a shared calendar (copy it instead)');
  }
  checkConditionals(ctx, source);
  return { source: { ...source, stored: source.stored }, depth };
}

/** The destination's parent (bind) and what the destination holds now (Overwrite, unbind); locks on both ends. */
async function checkedDestination(
  ctx: DavContext,
  tx: StoreTx,
  t: Transfer,
): Promise<{ destParent: DavResource; replaced: Resource | null }> {
  const destParent = await parentCollection(tx, t.to);
  requirePrivilege(ctx.user, destParent, 'bind');
  const existing = await resolve(tx, t.to);
  if (existing) {
    if (!t.overwrite) throw new DavError(412, 'the destination exists and Overwrite is F');
    if (existing.kind !== 'stored') throw new DavError(403, 'the destination cannot be replaced');
    requirePrivilege(ctx.user, destParent, 'unbind');
  }
  const scopes = [{ path: t.to, bind: true, subtree: true }];
  if (t.move) scopes.push({ path: t.from, bind: true, subtree: true });
  await checkWrite(ctx, tx, scopes);
  return { destParent, replaced: existing?.stored ?? null };
}

/** Place the source at the destination (whose old resource is already removed). */
async function transfer(
  ctx: DavContext,
  tx: StoreTx,
  t: Transfer,
  checked: {
    source: DavResource & { stored: Resource };
    depth: string;
    destParent: DavResource;
    replaced: Resource | null;
  },
): Promise<void> {
  const { source, destParent, replaced } = checked;
  const ownerId = destParent.ownerId ?? ctx.user.id;
  const typed = destParent.stored && holdsTypedObjects(destParent.stored) ? destParent.stored : null;
  const slot = typed ? { parent: typed, path: t.to, existing: replaced } : null;
  const withinParent = t.move && parentPath(t.from) === parentPath(t.to);
  const home = destParent.stored;
  if (!source.isCollection && home) await asDav(async () => refuseObjectInHome(home));
  if (slot && !withinParent) {
    // Into a calendar or address book: the domain's commit steps, as a PUT and a DELETE.
    if (source.isCollection) throw new DavError(403, 'a collection cannot be placed inside this collection');
    await placeObject(ctx, tx, source.stored, slot, t.move);
  } else if (t.move && (slot || ownerId === source.ownerId)) {
    // Renamed within its calendar or address book the data is not prepared again, but the object
    // it replaces must have had the same UID.
    if (slot) await asDav(async () => refuseUidChange(slot, source.stored.uid));
    await tx.moveResource(t.from, t.to);
  } else {
    // RFC 4331 §6: a copy that takes the destination's owner past their quota is refused (507).
    await asDav(() =>
      withinQuota(tx, ownerId, () => copyTree(tx, t.from, t.to, checked.depth === 'infinity', ownerId)),
    );
    if (t.move) await tx.deleteResource(t.from);
  }
}

/** RFC 4918 §9.8 (COPY) and §9.9 (MOVE). Both run in one transaction: all or nothing. */
function copyOrMove(move: boolean) {
  return async (ctx: DavContext): Promise<DavResponse> => {
    const t = await transferOf(ctx, move);
    const done = await ctx.store.transaction(areaKeys(t.from, t.to), async (tx) => {
      const { source, depth } = await checkedSource(ctx, tx, t);
      const { destParent, replaced } = await checkedDestination(ctx, tx, t);
      if (replaced) await tx.deleteResource(t.to);
      await transfer(ctx, tx, t, { source, depth, destParent, replaced });
      return { replaced: replaced !== null, isCollection: source.isCollection };
    });
    // RFC 9110 §15.3.2: a 201 names the resource it created.
    return done.replaced
      ? { status: 204 }
      : { status: 201, headers: { Location: hrefOf(t.toNamed, done.isCollection) } };
  };
}

export const copyMethod: MethodDef = {
  name: 'COPY',
  privilege: 'read',
  allowedOn: (r) => r !== null,
  handle: copyOrMove(false),
};
export const moveMethod: MethodDef = {
  name: 'MOVE',
  privilege: 'unbind',
  allowedOn: (r) => r !== null,
  handle: copyOrMove(true),
};
