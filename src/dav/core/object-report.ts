/**
 * The object reports of CalDAV and CardDAV (RFC 4791 §7.8/§7.9, RFC 6352 §8.6/§8.7) share one
 * pipeline: the same DAV:prop parsing, and one DAV:response per object assembled by the normal
 * propstat assembly (properties.ts), with the object's data (calendar-data, address-data) as a
 * request-aware property rendered from the body the report read once (cf. Xandikos'
 * `get_properties_with_data`). The multiget driver (object-multiget.ts) and the query driver
 * (object-query.ts) build on it.
 */
import type { PerUserView } from '../../domain/sharing/per-user-data.js';
import type { ObjectsReader } from '../../store/store.js';
import type { Resource } from '../../store/types.js';
import { firstChild, isElement, type XmlElement, type XmlNode } from '../../xml/element.js';
import { dav, type ClarkName } from '../../xml/names.js';
import type { DavContext } from './context.js';
import { plainObjectWriter, propNames, responseFor, type MaybePromise, type PropRequest } from './properties.js';
import { reportFragments, type ReportFragments } from './report-fragments.js';
import { storedResource, type DavResource } from './resource.js';

/** What an object report returns per object: DAV properties, and the object's data as asked. */
export interface ObjectPropRequest<D> {
  /** The properties in request order, the data property (when asked for) among them. */
  readonly props: PropRequest;
  /** The parsed data element (CALDAV:calendar-data, CARDDAV:address-data) when it is asked for. */
  readonly data: D | null;
}

/**
 * Parse the DAV:prop / DAV:allprop / DAV:propname of an object report. The report bodies are
 * modelled on PROPFIND (RFC 4791 §7.8, RFC 6352 §8.6) and make the element optional
 * (RFC 4791 §9.5/§9.10, RFC 6352 §10.3/§10.7): without one the report answers as PROPFIND
 * does without a body, allprop (RFC 4918 §9.1), as Xandikos does too. Clients send DAV:prop.
 */
export function parseObjectProps<D>(
  root: XmlElement,
  dataName: ClarkName,
  parseData: (e: XmlElement) => D,
): ObjectPropRequest<D> {
  if (firstChild(root, dav('propname'))) return { props: { kind: 'propname' }, data: null };
  const prop = firstChild(root, dav('prop'));
  if (!prop) return { props: { kind: 'allprop', include: [] }, data: null };
  const dataEl = prop.children.filter(isElement).find((c) => c.name === dataName);
  return { props: { kind: 'prop', names: propNames(prop) }, data: dataEl ? parseData(dataEl) : null };
}

/** The data property of one request, bound to everything its rendering reads besides the object. */
export interface ObjectData {
  readonly name: ClarkName;
  /** Names what the rendering reads besides the object (the member fragments' shape). */
  readonly shape: string;
  /**
   * The rendering depends on a time range of the request (CALDAV:expand, limit-recurrence-set,
   * limit-freebusy-set): its responses are not kept as member fragments, since a client asks
   * each window about once (the answer cache serves a repeated one). Kept, every window's
   * responses pushed the fragments that listings and multigets reuse out of the cache (issue #20).
   */
  readonly ranged?: boolean;
  /**
   * The object's text when the rendering keeps it already (a cache), so that its body need not
   * be read; '' when the rendering does not need it (what `prepare` read will do).
   */
  keptText?(m: Resource): string | undefined;
  /**
   * Reads at once what the rendering of these members can take from the store instead of their
   * bodies (a lone event's stored expansion: domain/calendar/expanded-text.ts), before their
   * bodies are read. Never for a sharee's view, whose text is not the stored one.
   */
  prepare?(store: ObjectsReader, members: readonly Resource[]): Promise<void>;
  /** The element for an object with body `text`, or null when it has no such data (404); a promise only when it had to wait. */
  render(m: Resource, text: string): MaybePromise<XmlElement | null>;
}

/** What an object report renders per object. */
export interface ObjectRendering {
  /** 'caldav' / 'carddav': part of the member fragments' shape. */
  readonly label: string;
  readonly props: PropRequest;
  readonly data: ObjectData | null;
}

/** Whether a resolved member is an object of the report's kind. */
export type IsObject = (r: DavResource) => boolean;

/**
 * The member fragments (member-fragments.ts) the report may reuse: keyed by the properties
 * asked for and everything the data rendering reads.
 */
export function objectFragments(ctx: DavContext, how: ObjectRendering): ReportFragments | null {
  if (how.data?.ranged) return null;
  return reportFragments(ctx.registry, ctx.settings.caches.fragments, ctx.user.id, how.props, [
    how.label,
    how.data?.shape ?? '',
  ]);
}

/** One DAV:response for an object, written as text: its properties, the data rendered from `text` among them. */
function objectResponse(
  ctx: DavContext,
  m: Resource,
  href: string,
  text: string,
  how: ObjectRendering,
  view: PerUserView | null,
): MaybePromise<XmlNode> {
  const { data } = how;
  // A sharee's data: their alarms and transparency, rendered under a key of their own (caldav-sharing §5.5.4).
  const render = (): MaybePromise<XmlElement | null> =>
    data ? (view ? data.render(view.key(m), view.text(m.id, text)) : data.render(m, text)) : null;
  const r = storedResource(m);
  const plain = plainWriterOf(ctx, how)?.(ctx, r, href, render);
  if (plain) return plain;
  const computed = data ? new Map([[data.name, render]]) : undefined;
  return responseFor(ctx, r, href, how.props, computed ? { computed } : {});
}

/** Each rendering's (one request's) plainObjectWriter, made when it first writes a response; null when it has none. */
const plainWriters = new WeakMap<ObjectRendering, ReturnType<typeof plainObjectWriter>>();

function plainWriterOf(ctx: DavContext, how: ObjectRendering): ReturnType<typeof plainObjectWriter> {
  let writer = plainWriters.get(how);
  if (writer === undefined)
    plainWriters.set(how, (writer = plainObjectWriter(ctx.registry, how.props, how.data?.name ?? null)));
  return writer;
}

/**
 * A response rendered now, or taken from / kept in the member fragments (keyed by user and etag,
 * so a sharee's own rendering is kept apart). `view`: the sharee's, its parts loaded for `m`.
 * A promise only when the rendering has to wait (response-runs.ts).
 */
export function renderedObject(
  ctx: DavContext,
  m: Resource,
  href: string,
  text: string,
  how: ObjectRendering,
  fragments: ReportFragments | null,
  view: PerUserView | null,
  fragmentHref?: string,
): MaybePromise<XmlNode> {
  const response = objectResponse(ctx, m, href, text, how, view);
  if (!fragments) return response;
  const keep = (r: XmlNode): XmlNode => fragments.keep(m, r, fragmentHref);
  return response instanceof Promise ? response.then(keep) : keep(response);
}
