import { el, type XmlNode } from '../../../xml/element.js';
import type { DavContext } from '../../core/context.js';
import type { DavResource } from '../../core/resource.js';
import { cs, dav } from '../../../xml/names.js';
import type { PropertyDef } from '../../core/registry.js';
import { sharingResourceTypes, sharingResourceTypesOfPage } from '../../sharing/resource-types.js';

/** RFC 4918 §15.9 (principals: RFC 3744 §4). */
export const resourcetype: PropertyDef = {
  name: dav('resourcetype'),
  allprop: true,
  cacheable: true,
  appliesTo: () => true,
  get: (ctx, r) => (r.isCollection ? collectionTypes(ctx, r) : []),
  forPage: sharingResourceTypesOfPage,
  text: () => '', // an object is no collection: an empty DAV:resourcetype
};

async function collectionTypes(ctx: DavContext, r: DavResource): Promise<XmlNode[]> {
  // A proxy group principal names its role (caldav-proxy §5.2: CS:calendar-proxy-read / -write).
  const extra =
    r.kind === 'principal'
      ? [dav('principal'), ...(r.proxy ? [cs(r.proxy.role)] : [])]
      : (ctx.registry.collectionTypeOf(r.stored?.collectionType)?.resourceType ?? []);
  // caldav-sharing §5.2.1: CS:shared on a sharee's instance, CS:shared-owner on a shared collection.
  return [el(dav('collection')), ...extra.map((n) => el(n)), ...(await sharingResourceTypes(ctx, r))];
}
