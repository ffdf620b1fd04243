/**
 * The one query driver (RFC 4791 §7.8 calendar-query, RFC 6352 §8.6 addressbook-query): the
 * domain ObjectFilter finds the matches (domain/object-query.ts), and their DAV:responses are
 * rendered one by one while the multistatus is written (multistatus.ts), each from the body the
 * query read or from the member fragments. The domain says which matches it decided without a
 * body (`decidedBy: 'index'`, their text left unread); such a match is taken from the fragments
 * when it was rendered before, and its body is read here only when it was not and the
 * rendering needs it (calendar-data / address-data asked for).
 */
import type { ObjectFilter } from '../../domain/object-filter.js';
import { objectMatches, queryObjects, readTexts, type QueryHit } from '../../domain/object-query.js';
import type { Resource } from '../../store/types.js';
import { el, type XmlNode } from '../../xml/element.js';
import { dav } from '../../xml/names.js';
import type { DavContext, DavResponse } from './context.js';
import { multistatus, responseWithStatus } from './multistatus.js';
import { objectFragments, renderedObject, type ObjectRendering } from './object-report.js';
import type { ReportFragments } from './report-fragments.js';
import type { MaybePromise } from './properties.js';
import { inRuns } from './response-runs.js';
import { hrefOf } from './paths.js';
import { memberView, perUserView } from './per-user-view.js';
import type { PerUserView } from '../../domain/sharing/per-user-data.js';

/** A server or client limit on the matches (RFC 6352 §8.6.2), reported on `href` when exceeded. */
export interface MatchLimit {
  readonly limit: number;
  /** The Request-URI, which gets the 507 response. */
  readonly href: string;
}

/** Matches rendered per round trip for the bodies the query left unread. */
const RENDER_BATCH = 200;

/**
 * The DAV:responses of a run of matches: from the fragments where kept, else rendered from the
 * text the query read or, for a match decided without its body, from the body read now (in one
 * batch) when the rendering needs it. A match deleted since the query is left out. Handed over
 * in runs (response-runs.ts).
 */
async function* renderedMatches(
  ctx: DavContext,
  matches: readonly QueryHit[],
  how: ObjectRendering,
  fragments: ReportFragments | null,
  view: PerUserView | null,
): AsyncGenerator<readonly XmlNode[]> {
  const kept = new Map<number, XmlNode>();
  for (const m of matches) {
    const f = fragments?.lookup(m.resource);
    if (f) kept.set(m.resource.id, f);
  }
  // What the rendering takes from the store instead of bodies (a sharee's view renders their own text).
  if (how.data?.prepare && !view)
    await how.data.prepare(
      ctx.store,
      matches.filter((m) => !kept.has(m.resource.id)).map((m) => m.resource),
    );
  // Bodies the query left unread, but those the rendering keeps already (its parsed objects cached).
  const unread = how.data
    ? matches.filter((m) => m.text === null && !kept.has(m.resource.id)).map((m) => m.resource)
    : [];
  const texts =
    unread.length > 0 ? await readTexts(ctx.store, unread, (r) => how.data?.keptText?.(r)) : new Map<number, string>();
  if (how.data) await view?.load(matches.filter((m) => !kept.has(m.resource.id)).map((m) => m.resource.id));
  yield* inRuns(
    (function* (): Generator<MaybePromise<XmlNode>> {
      for (const m of matches) {
        const done = kept.get(m.resource.id);
        if (done) {
          yield done;
          continue;
        }
        const text = m.text ?? texts.get(m.resource.id);
        if (text === undefined && how.data) continue; // deleted since the query
        yield renderedObject(ctx, m.resource, hrefOf(m.resource.path, false), text ?? '', how, fragments, view);
      }
    })(),
  );
}

/** The members of `collection` matching `filter`, rendered as `how` says. */
export async function runQuery(
  ctx: DavContext,
  collection: Resource,
  filter: ObjectFilter,
  how: ObjectRendering,
  cap?: MatchLimit,
): Promise<DavResponse> {
  return multistatus(await queryResponses(ctx, collection, filter, how, cap));
}

/** `runQuery`'s DAV:responses: the query runs now (anything that can refuse it does so here), the rendering as they are read. */
export async function queryResponses(
  ctx: DavContext,
  collection: Resource,
  filter: ObjectFilter,
  how: ObjectRendering,
  cap?: MatchLimit,
): Promise<AsyncGenerator<XmlNode | readonly XmlNode[]>> {
  // Bodies of matches decided by the index are read, if at all, while rendering (above).
  const { hits, truncated } = await queryObjects(ctx.store, collection.id, filter, {
    bodies: 'checked',
    ...(cap ? { limit: cap.limit } : {}),
  });
  const fragments = objectFragments(ctx, how);
  const view = await perUserView(ctx, collection);
  return (async function* (): AsyncGenerator<XmlNode | readonly XmlNode[]> {
    // RFC 6352 §8.6.2: 507 on the Request-URI, not counted in the limit.
    if (truncated && cap) yield responseWithStatus(cap.href, 507, el(dav('number-of-matches-within-limits')));
    for (let i = 0; i < hits.length; i += RENDER_BATCH)
      yield* renderedMatches(ctx, hits.slice(i, i + RENDER_BATCH), how, fragments, view);
  })();
}

/** A query on an object resource: the object when it matches. */
export async function runObjectQuery(
  ctx: DavContext,
  object: Resource,
  filter: ObjectFilter,
  how: ObjectRendering,
): Promise<DavResponse> {
  const hit = await objectMatches(ctx.store, object, filter);
  const view = hit && how.data ? await memberView(ctx, hit.resource) : null;
  await view?.load([object.id]);
  return multistatus(
    hit
      ? [await renderedObject(ctx, hit.resource, hrefOf(hit.resource.path, false), hit.text ?? '', how, null, view)]
      : [],
  );
}
