import { el, elements, isElement, type XmlElement } from '../../../xml/element.js';
import { carddav } from '../../../xml/names.js';
import { representationFor, representCard, type PropSelector, type Representation } from '../../../formats/vcard/represent.js';
import { DavError } from '../../core/errors.js';
import { parseObjectProps, type ObjectData, type ObjectPropRequest, type ObjectRendering } from '../../core/object-report.js';

/** A CARDDAV:address-data request (RFC 6352 §10.4): the representation and the properties asked for. */
export interface AddressDataRequest {
  readonly rep: Representation;
  /** null = the whole card. */
  readonly select: readonly PropSelector[] | null;
}

/** What a CardDAV report asks for each card: WebDAV properties and address data (RFC 6352 §8.4). */
export type CardReportProps = ObjectPropRequest<AddressDataRequest>;

/** Parse the CARDDAV:address-data request element (RFC 6352 §10.4). */
function parseAddressData(e: XmlElement): AddressDataRequest {
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

/** Parse DAV:prop / DAV:allprop / DAV:propname of a CardDAV report (RFC 6352 §8.6, §8.7). */
export function parseCardReportProps(root: XmlElement): CardReportProps {
  return parseObjectProps(root, carddav('address-data'), parseAddressData);
}

/** CARDDAV:address-data in the requested representation; 404 for a body that is not a vCard. */
function addressDataProperty(req: AddressDataRequest): ObjectData {
  const { rep, select } = req;
  const attrs: Record<string, string> = rep.kind === 'jcard' ? { 'content-type': 'application/vcard+json', version: '4.0' }
    : rep.version === '4.0' ? { 'content-type': 'text/vcard', version: '4.0' } : {};
  return {
    name: carddav('address-data'),
    shape: JSON.stringify(req),
    render: async (m, text) => {
      try {
        return el(carddav('address-data'), attrs, representCard(text, m.contentType, rep, select));
      } catch {
        return null;
      }
    },
  };
}

/** How a CardDAV report renders each card. */
export function cardRendering(req: CardReportProps): ObjectRendering {
  return { label: 'carddav', props: req.props, data: req.data ? addressDataProperty(req.data) : null };
}
