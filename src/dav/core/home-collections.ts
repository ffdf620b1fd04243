/**
 * A user's calendar or address-book home (`/calendars/USER`, `/addressbooks/USER`) as the scope
 * of an object report: calendar-multiget and addressbook-multiget name objects "at any depth
 * within the collection" (RFC 4791 §7.9, RFC 6352 §8.7), and a calendar-query or
 * addressbook-query with Depth: 1 or infinity on the home searches every collection in it that
 * the user may read (RFC 4791 §7.8, RFC 6352 §8.6), as clients send them there.
 */
import { parentPath } from '../../store/paths.js';
import type { Resource } from '../../store/types.js';
import { privilegesOf } from '../acl/privileges.js';
import type { XmlNode } from '../../xml/element.js';
import type { DavContext, DavResponse } from './context.js';
import { multistatus } from './multistatus.js';
import { childrenOf } from './members.js';
import { storedResource, type DavResource } from './resource.js';

/** Whether `r` is a stored home directly under `container` (`/calendars`, `/addressbooks`). */
export function isHomeIn(container: string, r: DavResource): boolean {
  return r.stored?.isCollection === true && parentPath(r.path) === container;
}

/** The collections of a home that `isCollection` accepts and the user may read, in name order. */
async function readableCollections(
  ctx: DavContext,
  home: Resource,
  isCollection: (r: DavResource) => boolean,
): Promise<Resource[]> {
  const out: Resource[] = [];
  for await (const m of childrenOf(ctx.store, home.id)) {
    const r = storedResource(m);
    if (isCollection(r) && privilegesOf(ctx.user, r).has('read')) out.push(m);
  }
  return out;
}

/**
 * One multistatus of the responses of every readable collection of `home`, in order: each
 * collection's query runs (and may refuse the request) before the first byte is sent.
 */
export async function homeResponses(
  ctx: DavContext,
  home: Resource,
  isCollection: (r: DavResource) => boolean,
  responsesOf: (collection: Resource) => Promise<AsyncIterable<XmlNode | readonly XmlNode[]>>,
): Promise<DavResponse> {
  const parts: AsyncIterable<XmlNode | readonly XmlNode[]>[] = [];
  for (const c of await readableCollections(ctx, home, isCollection)) parts.push(await responsesOf(c));
  return multistatus(
    (async function* () {
      for (const p of parts) yield* p;
    })(),
  );
}
