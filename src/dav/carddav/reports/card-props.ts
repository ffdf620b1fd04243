import { el, elements, firstChild, isElement, textOf, type XmlElement } from '../../../xml/element.js';
import { carddav, dav } from '../../../xml/names.js';
import { representationFor, representCard, type PropSelector, type Representation } from '../../../formats/vcard/represent.js';
import type { DavContext } from '../../core/context.js';
import { DavError } from '../../core/errors.js';
import { propstat } from '../../core/multistatus.js';
import { propstatsFor, type PropRequest } from '../../core/properties.js';
import type { DavResource } from '../../core/resource.js';

/** What a CardDAV report asks for each card: WebDAV properties and address data (RFC 6352 §8.4). */
export interface CardPropRequest {
  readonly props: PropRequest;
  readonly addressData: { readonly rep: Representation; readonly select: readonly PropSelector[] | null } | null;
}

/** Parse the CARDDAV:address-data request element (RFC 6352 §10.4). */
export function parseAddressData(e: XmlElement): CardPropRequest['addressData'] {
  const contentType = e.attrs['{}content-type'] ?? e.attrs['content-type'] ?? 'text/vcard';
  const version = e.attrs['{}version'] ?? e.attrs.version;
  const rep = representationFor(contentType, version);
  if (!rep) {
    throw DavError.condition('carddav:supported-address-data', `address data of type ${contentType} version ${version ?? '3.0'} is not supported`);
  }
  const children = e.children.filter(isElement);
  if (children.length === 0 || children.some((c) => c.name === carddav('allprop'))) return { rep, select: null };
  const select = elements(e, carddav('prop')).map((p) => {
    const name = p.attrs['{}name'] ?? p.attrs.name ?? '';
    if (name === '') throw DavError.badRequest('CARDDAV:prop needs a name');
    const novalue = (p.attrs['{}novalue'] ?? p.attrs.novalue ?? 'no') === 'yes';
    return { name: name.toUpperCase(), novalue };
  });
  return { rep, select };
}

/** Parse DAV:prop / DAV:allprop / DAV:propname of a report body (absent = allprop). */
export function parseCardProps(root: XmlElement): CardPropRequest {
  if (firstChild(root, dav('propname'))) return { props: { kind: 'propname' }, addressData: null };
  const prop = firstChild(root, dav('prop'));
  if (!prop) return { props: { kind: 'allprop', include: [] }, addressData: null };
  const names: string[] = [];
  let addressData: CardPropRequest['addressData'] = null;
  for (const p of prop.children.filter(isElement)) {
    if (p.name === carddav('address-data')) addressData = parseAddressData(p);
    else names.push(p.name);
  }
  return { props: { kind: 'prop', names }, addressData };
}

function statusOf(ps: XmlElement): string {
  const s = firstChild(ps, dav('status'));
  return s ? textOf(s) : '';
}

/** Add a value to the 200 propstat, creating it when every other property failed. */
function withFound(propstats: XmlElement[], node: XmlElement): XmlElement[] {
  const i = propstats.findIndex((ps) => / 200 /.test(`${statusOf(ps)} `));
  if (i < 0) return [propstat(200, [node]), ...propstats];
  const ps = propstats[i] as XmlElement;
  const prop = firstChild(ps, dav('prop'));
  const rebuilt = el(ps.name, ps.attrs, ...ps.children.map((c) => (c === prop && prop ? el(prop.name, prop.attrs, ...prop.children, node) : c)));
  return propstats.map((p, j) => (j === i ? rebuilt : p));
}

/**
 * The propstats of one card: its WebDAV properties, and the address data in the requested
 * representation (`text` = the stored body when the caller has read it already).
 */
export async function cardPropstats(ctx: DavContext, r: DavResource, req: CardPropRequest, text?: string): Promise<XmlElement[]> {
  const propstats = await propstatsFor(ctx, r, req.props);
  if (!req.addressData || !r.stored) return propstats;
  const body = text ?? new TextDecoder().decode(await ctx.store.readBody(r.stored.id));
  const { rep, select } = req.addressData;
  let data: string;
  try {
    data = representCard(body, r.stored.contentType, rep, select);
  } catch {
    return [...propstats, propstat(404, [el(carddav('address-data'))])];
  }
  const attrs: Record<string, string> = rep.kind === 'jcard' ? { 'content-type': 'application/vcard+json', version: '4.0' }
    : rep.version === '4.0' ? { 'content-type': 'text/vcard', version: '4.0' } : {};
  return withFound(propstats, el(carddav('address-data'), attrs, data));
}
