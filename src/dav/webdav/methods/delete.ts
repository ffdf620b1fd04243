import { deleteMember } from '../../../domain/objects/delete-member.js';
import { header, type DavContext, type DavResponse } from '../../core/context.js';
import { DavError } from '../../core/errors.js';
import type { MethodDef } from '../../core/registry.js';
import { asDav } from '../../core/object-refusal.js';
import { depthOf } from '../../core/request.js';
import { resolve } from '../../core/resource.js';
import { mustExist } from '../../core/members.js';
import { davRequestCheck } from '../../core/locking.js';

/** RFC 4918 §9.6: delete a resource, a collection with everything in it, through the domain's one delete. */
async function del(ctx: DavContext): Promise<DavResponse> {
  const r = mustExist(await resolve(ctx.store, ctx.path));
  if (r.isCollection && depthOf(ctx, 'infinity') !== 'infinity') {
    throw DavError.badRequest('DELETE of a collection must have Depth: infinity');
  }
  // Virtual containers and principals are no stored member of anything.
  if (r.kind !== 'stored') throw new DavError(403, 'this resource cannot be deleted');
  await asDav(() =>
    deleteMember(ctx.store, {
      principal: ctx.user,
      path: ctx.path,
      origin: { via: 'dav', feed: null },
      check: davRequestCheck(ctx),
      now: ctx.now,
      // RFC 6638 §8.1: Schedule-Reply: F = an attendee's delete sends no REPLY.
      scheduling: {
        reply: header(ctx, 'schedule-reply')?.trim().toUpperCase() !== 'F',
        scheduleTagMatch: header(ctx, 'if-schedule-tag-match'),
      },
    }),
  );
  return { status: 204 };
}

export const deleteMethod: MethodDef = {
  name: 'DELETE',
  privilege: 'unbind',
  allowedOn: (r) => r !== null,
  handle: del,
};
