import type { CollectionType } from '../../../store/types.js';
import { elements, isElement } from '../../../xml/element.js';
import { dav } from '../../../xml/names.js';
import { createCollectionWithProps } from '../../core/collection-create.js';
import { header, type DavContext, type DavResponse } from '../../core/context.js';
import { DavError } from '../../core/errors.js';
import type { PropertyUpdate } from '../../core/property-update.js';
import type { MethodDef } from '../../core/registry.js';
import { parseXmlBody } from '../../core/request.js';

/** Parse an extended MKCOL body (RFC 5689 §5.1) into the collection type and initial properties. */
export function parseExtendedMkcol(
  body: Buffer,
  ctx: DavContext,
): { type: CollectionType | null; updates: PropertyUpdate[] } {
  // The one body parse of every method: a DOCTYPE is refused as DAV:no-external-entities.
  const root = parseXmlBody(ctx, body);
  if (!root) throw DavError.badRequest('a MKCOL body must be a DAV:mkcol element (RFC 5689)');
  if (root.name !== dav('mkcol')) throw new DavError(415, 'a MKCOL body must be a DAV:mkcol element (RFC 5689)');
  const updates: PropertyUpdate[] = [];
  let resourcetype: string[] = [dav('collection')];
  for (const set of elements(root, dav('set'))) {
    for (const prop of elements(set, dav('prop'))) {
      for (const p of prop.children.filter(isElement)) {
        if (p.name === dav('resourcetype')) resourcetype = p.children.filter(isElement).map((c) => c.name);
        else updates.push({ op: 'set', prop: p });
      }
    }
  }
  if (!resourcetype.includes(dav('collection')))
    throw DavError.condition('valid-resourcetype', 'resourcetype must include DAV:collection');
  return { type: ctx.registry.collectionTypeFor(resourcetype), updates };
}

/** RFC 4918 §9.3 MKCOL, with RFC 5689 extended MKCOL (resource type and properties in the body). */
async function mkcol(ctx: DavContext): Promise<DavResponse> {
  const body = await ctx.readBody(ctx.settings.xml.maxBytes);
  if (body.length > 0 && !/xml/i.test(header(ctx, 'content-type') ?? 'xml')) {
    throw new DavError(415, 'MKCOL bodies must be XML (RFC 5689)');
  }
  const { type, updates } = body.length > 0 ? parseExtendedMkcol(body, ctx) : { type: '' as const, updates: [] };
  if (type === null) throw DavError.condition('valid-resourcetype', 'this resource type cannot be created here');
  return createCollectionWithProps(ctx, type, updates, dav('mkcol-response'));
}

export const mkcolMethod: MethodDef = { name: 'MKCOL', privilege: 'bind', allowedOn: (r) => r === null, handle: mkcol };
