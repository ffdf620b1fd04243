import { header, type DavContext, type DavResponse } from '../../core/context.js';
import { checkConditionals } from '../../core/conditional.js';
import { DavError } from '../../core/errors.js';
import { checkWrite } from '../../core/locking.js';
import type { MethodDef } from '../../core/registry.js';
import { areaKeys } from '../../core/request.js';
import { etagOf, resolve, storedResource } from '../../core/resource.js';
import { requirePrivilege } from '../../acl/privileges.js';
import { contentEtag, parentCollection } from '../../core/members.js';

/** RFC 4918 §9.7 / RFC 9110 §9.3.4: create or replace a non-collection resource. */
async function put(ctx: DavContext): Promise<DavResponse> {
  if (header(ctx, 'content-range') !== undefined) throw DavError.badRequest('Content-Range is not allowed on PUT');
  if (ctx.trailingSlash) throw new DavError(409, 'a PUT target must not end with a slash');
  // Read the body before the transaction so no write waits on a slow client.
  const body = await ctx.readBody(ctx.settings.maxUploadBytes);
  const contentType = header(ctx, 'content-type') ?? 'application/octet-stream';

  const result = await ctx.store.transaction(areaKeys(ctx.path), async (tx) => {
    const existing = await resolve(tx, ctx.path);
    // A collection made here since the handler's check: 405, its Allow added by the handler.
    if (existing?.isCollection) throw new DavError(405, 'cannot PUT to a collection');
    const parent = await parentCollection(tx, ctx.path);
    if (existing) requirePrivilege(ctx.user, existing, 'write-content');
    else requirePrivilege(ctx.user, parent, 'bind');
    checkConditionals(ctx, existing);
    await checkWrite(ctx, tx, [{ path: ctx.path, bind: existing === null, subtree: false }]);
    const parentRow = parent.stored;
    if (!parentRow) throw new DavError(409, 'the parent collection does not exist');
    const type = ctx.registry.objectTypeOf(parentRow.collectionType);
    const prepared = type
      ? await type.prepare(ctx, tx, parentRow, ctx.path, body, existing?.stored ?? null)
      : { body, contentType, index: {} };
    return tx.putObject(ctx.path, {
      ownerId: parentRow.ownerId,
      body: prepared.body,
      contentType: prepared.contentType,
      etag: contentEtag(prepared.body),
      index: prepared.index,
    });
  });
  const etag = etagOf(storedResource(result.resource)) ?? '';
  return { status: result.created ? 201 : 204, headers: { ETag: etag, 'Last-Modified': new Date(result.resource.modifiedAt).toUTCString() } };
}

export const putMethod: MethodDef = { name: 'PUT', privilege: 'write-content', allowedOn: (r) => r === null || !r.isCollection, handle: put };
