/**
 * The one multiget driver (RFC 4791 §7.9 calendar-multiget, RFC 6352 §8.7 addressbook-multiget):
 * at most MAX_HREFS hrefs; each href within the Request-URI (at any depth, or the Request-URI
 * itself when it is an object) that names an object of the report's kind is answered with its
 * properties, the others with 404, and objects the user may not read with 403 (RFC 3744 §7.1.1);
 * the rows come in one query, or from the collection's kept listing, and the bodies (only when
 * the data is asked for) in a few.
 */
import { readTexts } from '../../domain/object-query.js';
import { parentPath } from '../../store/paths.js';
import type { Resource } from '../../store/types.js';
import { elements, textOf, type XmlElement, type XmlNode } from '../../xml/element.js';
import { dav } from '../../xml/names.js';
import { privilegesOf } from '../acl/privileges.js';
import type { DavContext, DavResponse } from './context.js';
import { DavError } from './errors.js';
import { multistatus, responseWithStatus } from './multistatus.js';
import {
  objectFragments,
  renderedObject,
  type IsObject,
  type ObjectPropRequest,
  type ObjectRendering,
} from './object-report.js';
import { storePathOfUri } from './paths.js';
import { cacheableProps, type MaybePromise } from './properties.js';
import { inRuns } from './response-runs.js';
import { realPathOf } from './mount.js';
import { memberView } from './per-user-view.js';
import { storedResource, type DavResource } from './resource.js';

/** Most hrefs one multiget may name. */
const MAX_HREFS = 10_000;

export interface MultigetRequest<D> {
  readonly props: ObjectPropRequest<D>;
  /** The hrefs as sent: each response echoes its href. */
  readonly hrefs: readonly string[];
  /** The store path each href names (null: none), worked out once per request. */
  readonly paths: readonly (string | null)[];
}

/** The store path an href names, or null when it names none. */
function hrefPath(href: string): string | null {
  try {
    return storePathOfUri(href);
  } catch {
    return null;
  }
}

/** Parse a multiget body: its properties and 1 to MAX_HREFS hrefs. */
export function parseMultiget<D>(
  root: XmlElement,
  report: string,
  parseProps: (root: XmlElement) => ObjectPropRequest<D>,
): MultigetRequest<D> {
  const hrefs = elements(root, dav('href')).map((h) => textOf(h).trim());
  if (hrefs.length === 0) throw DavError.badRequest(`${report} needs at least one DAV:href`);
  if (hrefs.length > MAX_HREFS) throw DavError.condition('too-many-hrefs', `at most ${MAX_HREFS} hrefs`);
  return { props: parseProps(root), hrefs, paths: hrefs.map(hrefPath) };
}

/**
 * Whether a multiget's answer may be cached (ReportDef.cacheable): cacheable properties, and no
 * href deeper than the members, which would read another collection's state.
 */
export function multigetCacheable(ctx: DavContext, r: DavResource, req: MultigetRequest<unknown>): boolean {
  return (
    cacheableProps(ctx.registry, req.props.props) &&
    req.paths.every((path) => path === null || !path.startsWith(`${r.path}/`) || parentPath(path) === r.path)
  );
}

type Slot =
  | { readonly href: string; readonly status: 403 | 404 }
  | { readonly href: string; readonly member: Resource; done?: XmlNode };

/** Run a multiget on `r` for objects that `isObject` accepts, rendered as `how` says. */
export async function runMultiget(
  ctx: DavContext,
  r: DavResource,
  req: Pick<MultigetRequest<unknown>, 'hrefs' | 'paths'>,
  isObject: IsObject,
  how: ObjectRendering,
): Promise<DavResponse> {
  const target = r.stored;
  if (!target) throw DavError.notFound();
  const inScope = (p: string): boolean => (target.isCollection ? p.startsWith(`${target.path}/`) : p === target.path);
  const { hrefs } = req;
  const paths = req.paths.map((named) => {
    // An href through a sharee's instance names the shared collection's member (dav/core/mount.ts).
    const p = named !== null && ctx.mount ? realPathOf(ctx.mount, named) : named;
    return p !== null && inScope(p) ? p : null;
  });
  const wanted = [...new Set(paths.filter((p): p is string => p !== null))];
  // Members of a collection a client just listed come from that listing (domain/member-listings.ts).
  const rows = target.isCollection
    ? await ctx.settings.caches.listings.byPaths(ctx.store, target, wanted)
    : await ctx.store.getResourcesByPaths(wanted);
  const found = new Map(rows.map((m) => [m.path, m]));
  // Members rendered before for this shape (and href) need neither their body nor their propstats.
  const fragments = objectFragments(ctx, how);
  const slots: Slot[] = hrefs.map((href, i) => {
    const path = paths[i];
    const m = path ? found.get(path) : undefined;
    const r = m ? storedResource(m) : null;
    if (!m || !r || !isObject(r)) return { href, status: 404 };
    if (!privilegesOf(ctx.user, r).has('read')) return { href, status: 403 };
    const done = fragments?.lookup(m, href);
    return done ? { href, member: m, done } : { href, member: m };
  });
  const unreadMembers = new Map(slots.flatMap((s) => ('member' in s && !s.done ? [[s.member.id, s.member]] : [])));
  const unread = [...unreadMembers.keys()];
  // A sharee's own alarms and transparency (caldav-sharing §5.5.4): a calendar's members share one parent.
  const first = slots.find((s): s is Slot & { member: Resource } => 'member' in s && !s.done);
  const view = how.data && first ? await memberView(ctx, first.member) : null;
  // What the rendering takes from the store instead of bodies (not for a sharee's own text), then
  // the bodies, but those the rendering keeps already (its parsed objects cached).
  if (how.data?.prepare && !view) await how.data.prepare(ctx.store, [...unreadMembers.values()]);
  const texts = how.data
    ? await readTexts(ctx.store, [...unreadMembers.values()], (r) => how.data?.keptText?.(r))
    : null;
  await view?.load(unread);
  function* responses(): Generator<MaybePromise<XmlNode>> {
    for (const s of slots) {
      if (!('member' in s)) {
        yield responseWithStatus(s.href, s.status);
        continue;
      }
      if (s.done) {
        yield s.done;
        continue;
      }
      const text = texts?.get(s.member.id);
      if (texts && text === undefined) {
        yield responseWithStatus(s.href, 404); // deleted since it was looked up
        continue;
      }
      const own = s.member.parentId === first?.member.parentId ? view : null;
      yield renderedObject(ctx, s.member, s.href, text ?? '', how, fragments, own, s.href);
    }
  }
  return multistatus(inRuns(responses()));
}
