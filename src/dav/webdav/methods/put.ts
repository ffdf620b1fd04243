import { httpDate } from '../../../formats/http-date.js';
import { writeObject } from '../../../domain/objects/write-object.js';
import { ObjectRefused } from '../../../domain/objects/object-refused.js';
import { parentPath } from '../../../store/paths.js';
import { header, type DavContext, type DavResponse } from '../../core/context.js';
import { DavError } from '../../core/errors.js';
import { davRequestCheck } from '../../core/locking.js';
import type { MethodDef } from '../../core/registry.js';
import { davErrorOfRefusal } from '../../core/object-refusal.js';
import { resolve, type DavResource } from '../../core/resource.js';

/** A refusal of the domain, told apart where DAV knows more: a virtual container takes no members (403). */
async function davError(ctx: DavContext, err: ObjectRefused): Promise<DavError> {
  if (err.refusal.code === 'no-parent') {
    const parent = await resolve(ctx.store, parentPath(ctx.path));
    if (parent?.isCollection && parent.kind !== 'stored') return new DavError(403, 'members cannot be created here');
  }
  return davErrorOfRefusal(err.refusal, err.message);
}

/**
 * RFC 4918 §9.7 / RFC 9110 §9.3.4: create or replace a non-collection resource, through the
 * domain's one write path (privileges, preconditions, locks, validation, change feed).
 */
async function put(ctx: DavContext, target: DavResource | null): Promise<DavResponse> {
  if (header(ctx, 'content-range') !== undefined) throw DavError.badRequest('Content-Range is not allowed on PUT');
  if (ctx.trailingSlash) throw new DavError(409, 'a PUT target must not end with a slash');
  // Read the body before the transaction so no write waits on a slow client.
  const body = await ctx.readBody(ctx.settings.maxUploadBytes);
  // A virtual container or a principal is no stored resource: the domain does not know them.
  // (`target` as the handler resolved it; a stored one is read again inside the write's transaction.)
  if (target?.isCollection && target.kind !== 'stored') throw davErrorOfRefusal({ code: 'is-collection' }, '');
  try {
    const result = await writeObject(ctx.store, {
      principal: ctx.user,
      path: ctx.path,
      body,
      contentType: header(ctx, 'content-type'),
      origin: { via: 'dav', feed: null },
      limits: ctx.settings,
      check: davRequestCheck(ctx),
      now: ctx.now,
      scheduling: { scheduleTagMatch: header(ctx, 'if-schedule-tag-match') },
    });
    // RFC 6638 §3.2.10 / §8.2: Schedule-Tag on scheduling objects; no ETag when scheduling changed what was stored.
    const headers: Record<string, string> = { 'Last-Modified': httpDate(result.resource.modifiedAt) };
    if (!result.rewritten) headers.ETag = result.etag;
    if (result.scheduleTag) headers['Schedule-Tag'] = result.scheduleTag;
    return { status: result.created ? 201 : 204, headers };
  } catch (err) {
    if (err instanceof ObjectRefused) throw await davError(ctx, err);
    throw err;
  }
}

export const putMethod: MethodDef = {
  name: 'PUT',
  privilege: 'write-content',
  allowedOn: (r) => r === null || !r.isCollection,
  handle: put,
};
