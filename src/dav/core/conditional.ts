import { header, type DavContext } from './context.js';
import { DavError } from './errors.js';
import { etagOf, type DavResource } from './resource.js';

function tags(value: string): string[] {
  return value
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '')
    .map((t) => (t.startsWith('W/') ? t.slice(2) : t));
}

/** `304` for a safe method whose conditions say "not modified", `412` for a failed precondition. */
export class NotModified extends Error {
  constructor(readonly etag: string | null) {
    super('not modified');
  }
}

/**
 * HTTP conditional requests (RFC 9110 §13): If-Match, If-None-Match, If-Unmodified-Since and
 * If-Modified-Since, evaluated in the RFC's order. `r` null = unmapped URL.
 */
export function checkConditionals(ctx: DavContext, r: DavResource | null): void {
  const safe = ctx.method === 'GET' || ctx.method === 'HEAD';
  const etag = r ? etagOf(r) : null;
  const current = etag?.startsWith('W/') ? etag.slice(2) : etag;
  const ifMatch = header(ctx, 'if-match');
  if (ifMatch !== undefined) {
    const ok = r !== null && (ifMatch.trim() === '*' || (current !== null && tags(ifMatch).includes(current)));
    if (!ok) throw new DavError(412, 'If-Match does not match the current entity tag');
  } else {
    const ius = header(ctx, 'if-unmodified-since');
    if (ius !== undefined && r?.stored) {
      const t = Date.parse(ius);
      if (!Number.isNaN(t) && Math.floor(r.stored.modifiedAt / 1000) > Math.floor(t / 1000)) {
        throw new DavError(412, 'modified since If-Unmodified-Since');
      }
    }
  }
  const ifNoneMatch = header(ctx, 'if-none-match');
  if (ifNoneMatch !== undefined) {
    const matches =
      r !== null && (ifNoneMatch.trim() === '*' || (current !== null && tags(ifNoneMatch).includes(current)));
    if (matches) {
      if (safe) throw new NotModified(etag);
      throw new DavError(412, 'If-None-Match matched: the resource exists');
    }
  } else if (safe && r?.stored) {
    const ims = header(ctx, 'if-modified-since');
    if (ims !== undefined) {
      const t = Date.parse(ims);
      if (!Number.isNaN(t) && Math.floor(r.stored.modifiedAt / 1000) <= Math.floor(t / 1000))
        throw new NotModified(etag);
    }
  }
}
