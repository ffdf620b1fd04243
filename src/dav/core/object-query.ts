/**
 * The one query driver (RFC 4791 §7.8 calendar-query, RFC 6352 §8.6 addressbook-query): the
 * domain ObjectFilter finds the matches (domain/object-query.ts), and their DAV:responses are
 * rendered one by one while the multistatus is written (multistatus.ts), each from the body the
 * query read or from the member fragments (then the body is not read when the index decided).
 */
import type { ObjectFilter } from '../../domain/object-filter.js';
import { objectMatches, queryObjects } from '../../domain/object-query.js';
import type { Resource } from '../../store/types.js';
import { el, type XmlNode } from '../../xml/element.js';
import { dav } from '../../xml/names.js';
import type { DavContext, DavResponse } from './context.js';
import { multistatus, responseWithStatus } from './multistatus.js';
import { objectFragments, renderedObject, type ObjectRendering } from './object-report.js';
import { hrefOf } from './paths.js';

/** A server or client limit on the matches (RFC 6352 §8.6.2), reported on `href` when exceeded. */
export interface MatchLimit {
  readonly limit: number;
  /** The Request-URI, which gets the 507 response. */
  readonly href: string;
}

/** The members of `collection` matching `filter`, rendered as `how` says. */
export async function runQuery(ctx: DavContext, collection: Resource, filter: ObjectFilter, how: ObjectRendering, cap?: MatchLimit): Promise<DavResponse> {
  // Matches rendered before for this shape need neither their body nor their propstats.
  const fragments = objectFragments(ctx, how);
  const rendered = new Map<number, XmlNode>();
  const skipText = (m: Resource): boolean => {
    const f = fragments?.lookup(m);
    if (f) rendered.set(m.id, f);
    return f !== undefined;
  };
  const { hits, truncated } = await queryObjects(ctx.store, collection.id, filter, { skipText, ...(cap ? { limit: cap.limit } : {}) });
  const responses = async function* (): AsyncGenerator<XmlNode> {
    // RFC 6352 §8.6.2: 507 on the Request-URI, not counted in the limit.
    if (truncated && cap) yield responseWithStatus(cap.href, 507, el(dav('number-of-matches-within-limits')));
    for (const m of hits) {
      // Skipped texts were rendered before; a match the evaluator had to read may be too.
      const done = m.text === null ? rendered.get(m.resource.id) : fragments?.lookup(m.resource);
      if (done) {
        yield done;
        continue;
      }
      if (m.text === null) throw new Error(`query: no text and no rendered response for ${m.resource.path}`);
      yield await renderedObject(ctx, m.resource, hrefOf(m.resource.path, false), m.text, how, fragments);
    }
  };
  return multistatus(responses());
}

/** A query on an object resource: the object when it matches. */
export async function runObjectQuery(ctx: DavContext, object: Resource, filter: ObjectFilter, how: ObjectRendering): Promise<DavResponse> {
  const hit = await objectMatches(ctx.store, object, filter);
  return multistatus(hit ? [await renderedObject(ctx, hit.resource, hrefOf(hit.resource.path, false), hit.text ?? '', how, null)] : []);
}
