import { httpDate } from '../../../formats/http-date.js';
import { header, type DavContext, type DavResponse } from '../../core/context.js';
import { checkConditionals } from '../../core/conditional.js';
import { DavError } from '../../core/errors.js';
import { encodeSegment, hrefOf } from '../../core/paths.js';
import type { MethodDef } from '../../core/registry.js';
import { etagOf, virtualChildren, type DavResource } from '../../core/resource.js';
import { requirePrivilege } from '../../acl/privileges.js';
import { escapeText } from '../../../xml/write.js';
import { mustExist } from '../../core/members.js';
import { scheduleTagOf } from '../../../domain/scheduling/schedule-tag.js';
import { viewedBody } from '../../core/per-user-view.js';
import { ahead } from '../../../domain/cooperative.js';

/**
 * RFC 6638 §3.2.10: a scheduling object resource (in a calendar) answers its Schedule-Tag. An
 * object in a calendar home may be one, so its tag is read beside its body and its collection
 * (`early`); any other's only once its collection turns out to be a calendar.
 */
async function scheduleTagHeader(
  ctx: DavContext,
  path: string,
  parentType: string | undefined,
  early: Promise<string | null> | null,
): Promise<Record<string, string>> {
  const tag = parentType === 'calendar' ? await (early ?? scheduleTagOf(ctx.store, path)) : null;
  return tag ? { 'Schedule-Tag': tag } : {};
}

/** Collection GET handlers by collection type (CalDAV exports .ics, CardDAV .vcf). */

/** `bytes=a-b`, `bytes=a-`, `bytes=-n` (RFC 9110 §14.1.2); multiple ranges are answered whole. */
function parseRange(value: string, size: number): [number, number] | 'unsatisfiable' | null {
  const m = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(value);
  if (!m) return null;
  const [, a = '', b = ''] = m;
  if (a === '' && b === '') return null;
  let start: number;
  let end: number;
  if (a === '') {
    const n = Number(b);
    if (n === 0) return 'unsatisfiable';
    start = Math.max(0, size - n);
    end = size - 1;
  } else {
    start = Number(a);
    end = b === '' ? size - 1 : Math.min(Number(b), size - 1);
    if (b !== '' && Number(b) < start) return null;
  }
  if (start >= size) return 'unsatisfiable';
  return [start, end];
}

async function listing(ctx: DavContext, r: DavResource): Promise<DavResponse> {
  const rows: string[] = [];
  if (r.stored) {
    for (const c of await ctx.store.listChildren(r.stored.id)) {
      const name = c.path.slice(c.path.lastIndexOf('/') + 1);
      rows.push(
        `<li><a href="${encodeSegment(name)}${c.isCollection ? '/' : ''}">${escapeText(name)}${c.isCollection ? '/' : ''}</a></li>`,
      );
    }
  } else {
    for (const p of virtualChildren(r.path)) rows.push(`<li><a href="${hrefOf(p, true)}">${escapeText(p)}/</a></li>`);
  }
  const title = escapeText(hrefOf(r.path, true));
  const body = `<!doctype html><meta charset="utf-8"><title>${title}</title><h1>${title}</h1><ul>${rows.join('')}</ul>\n`;
  return { status: 200, headers: { 'Content-Type': 'text/html; charset=utf-8' }, body };
}

async function get(ctx: DavContext, found: DavResource | null): Promise<DavResponse> {
  const r = mustExist(found);
  requirePrivilege(ctx.user, r, 'read');
  checkConditionals(ctx, r);
  if (r.isCollection) {
    const type = ctx.registry.collectionTypeOf(r.stored?.collectionType);
    const res = await (type?.exportCollection ? type.exportCollection(ctx, r) : listing(ctx, r));
    // A stored collection's modification time moves with every member write (RFC 9110 §8.8.2):
    // pollers get Last-Modified, and If-Modified-Since answers 304 (checkConditionals above).
    return r.stored ? { ...res, headers: { 'Last-Modified': httpDate(r.stored.modifiedAt), ...res.headers } } : res;
  }
  const stored = r.stored;
  if (!stored) throw DavError.notFound();
  // The body, the collection (its type says how the object is shown) and a calendar object's
  // Schedule-Tag are read together (issue #20: on PostgreSQL one round trip, not three in turn).
  const early = stored.path.startsWith('/calendars/') ? ahead(scheduleTagOf(ctx.store, stored.path)) : null;
  const [read, parent] = await Promise.all([
    ctx.store.readBody(stored.id),
    stored.parentId === null ? null : ctx.store.getResourceById(stored.parentId),
  ]);
  let body: Uint8Array = read;
  let contentType = stored.contentType ?? 'application/octet-stream';
  const parentType = parent?.collectionType;
  body = await viewedBody(ctx, parent, stored, body);
  const represent = ctx.registry.objectTypeOf(parentType)?.represent;
  if (represent) {
    const out = represent(ctx, stored, body);
    body = typeof out.body === 'string' ? new TextEncoder().encode(out.body) : out.body;
    contentType = out.contentType;
  }
  const headers: Record<string, string> = {
    'Content-Type': contentType,
    ...(represent ? { Vary: 'Accept' } : {}),
    ETag: etagOf(r) ?? '',
    'Last-Modified': httpDate(stored.modifiedAt),
    'Accept-Ranges': 'bytes',
  };
  Object.assign(headers, await scheduleTagHeader(ctx, stored.path, parentType, early));
  const range = header(ctx, 'range');
  const ifRange = header(ctx, 'if-range');
  if (range !== undefined && (ifRange === undefined || ifRange === headers.ETag)) {
    const parsed = parseRange(range, body.byteLength);
    if (parsed === 'unsatisfiable') {
      return { status: 416, headers: { 'Content-Range': `bytes */${body.byteLength}` } };
    }
    if (parsed) {
      const [start, end] = parsed;
      return {
        status: 206,
        headers: { ...headers, 'Content-Range': `bytes ${start}-${end}/${body.byteLength}` },
        body: body.subarray(start, end + 1),
      };
    }
  }
  return { status: 200, headers, body };
}

/** RFC 4918 §9.4 / RFC 9110 §9.3.1. HEAD is answered like GET; the HTTP layer drops the body. */
export const getMethod: MethodDef = { name: 'GET', privilege: 'read', allowedOn: (r) => r !== null, handle: get };
export const headMethod: MethodDef = { name: 'HEAD', privilege: 'read', allowedOn: (r) => r !== null, handle: get };
