/** The CARDDAV:address-data element of a report request (RFC 6352 §10.4); caldav/reports/calendar-data-request.ts is its CalDAV twin. */
import { elements, isElement, type XmlElement } from '../../../xml/element.js';
import { carddav } from '../../../xml/names.js';
import { representationFor, type PropSelector, type Representation } from '../../../formats/vcard/represent.js';
import { DavError } from '../../core/errors.js';

/** A CARDDAV:address-data request (RFC 6352 §10.4): the representation and the properties asked for. */
export interface AddressDataRequest {
  readonly rep: Representation;
  /** null = the whole card. */
  readonly select: readonly PropSelector[] | null;
}

/** Parse the CARDDAV:address-data request element (RFC 6352 §10.4). */
export function parseAddressDataRequest(e: XmlElement): AddressDataRequest {
  const contentType = e.attrs['{}content-type'] ?? e.attrs['content-type'] ?? 'text/vcard';
  const version = e.attrs['{}version'] ?? e.attrs.version;
  const rep = representationFor(contentType, version);
  if (!rep) {
    throw DavError.condition(
      'carddav:supported-address-data',
      `address data of type ${contentType} version ${version ?? '3.0'} is not supported`,
    );
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
