import { header, type DavContext, type DavResponse } from '../../core/context.js';
import { DavError } from '../../core/errors.js';
import type { MethodDef } from '../../core/registry.js';
import { parseXmlBody } from '../../core/request.js';
import type { DavResource } from '../../core/resource.js';
import { ResponseCache } from '../../core/response-cache.js';
import { privilegesOf, requirePrivilege } from '../../acl/privileges.js';
import { mustExist } from '../../core/members.js';

/** The request asks for a fresh answer (RFC 9111 §5.2.1.4 Cache-Control, §5.4 Pragma). */
function wantsFresh(ctx: DavContext): boolean {
  return (
    /(^|,)\s*no-cache\s*(,|$)/i.test(header(ctx, 'cache-control') ?? '') ||
    /no-cache/i.test(header(ctx, 'pragma') ?? '')
  );
}

/** Where this request's answer is kept in the response cache, or null (cache off, If header, not a collection). */
function cacheSlot(
  ctx: DavContext,
  r: DavResource,
  raw: Buffer,
): { cache: ResponseCache; key: string; state: string } | null {
  const answers = ctx.headers.if === undefined ? ctx.settings.caches.answers : null;
  const state = answers ? ResponseCache.stateOf(r) : null;
  if (!answers || state === null) return null;
  const cache = new ResponseCache(answers);
  return { cache, state, key: cache.keyOf(ctx, privilegesOf(ctx.user, r), raw) };
}

/**
 * RFC 3253 §3.6: dispatch to the report named by the body's root element. A repeated report on
 * an unchanged collection is answered from the response cache before its body is parsed; a
 * request with an If header is always computed (its conditions are evaluated afresh), and so is
 * one that asks for a fresh answer with `Cache-Control: no-cache` or `Pragma: no-cache` — whose
 * answer is kept for the next request once the same request was computed before (response-cache.ts
 * `seenBy`).
 */
async function report(ctx: DavContext, found: DavResource | null): Promise<DavResponse> {
  const r = mustExist(found);
  // Every report needs read but free-busy-query, which needs read-free-busy (RFC 4791 §7.10):
  // refuse here who holds neither, and check the report's own privilege once it is known.
  if (!privilegesOf(ctx.user, r).has('read-free-busy')) requirePrivilege(ctx.user, r, 'read');
  const raw = await ctx.readBody(ctx.settings.xml.maxBytes);
  const slot = cacheSlot(ctx, r, raw);
  const fresh = wantsFresh(ctx);
  if (slot && !fresh) {
    const hit = slot.cache.lookup(slot.key, slot.state);
    if (hit) return hit;
  }
  const body = parseXmlBody(ctx, raw);
  if (!body) throw DavError.badRequest('REPORT needs a body');
  const def = ctx.registry.reports.get(body.name);
  if (!def || !def.appliesTo(r))
    throw DavError.condition('supported-report', `report ${body.name} is not supported on this resource`);
  requirePrivilege(ctx.user, r, def.privilege ?? 'read');
  const request = def.parse(body, ctx);
  const res = await def.run(ctx, r, request);
  if (slot && res.status === 207 && def.cacheable?.(ctx, r, request))
    return slot.cache.keep(slot.key, slot.state, res, fresh);
  return res;
}

export const reportMethod: MethodDef = {
  name: 'REPORT',
  privilege: 'read',
  allowedOn: (r) => r !== null,
  handle: report,
};
