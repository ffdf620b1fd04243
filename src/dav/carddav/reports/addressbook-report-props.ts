import { el, type XmlElement } from '../../../xml/element.js';
import { carddav } from '../../../xml/names.js';
import { representCard } from '../../../formats/vcard/represent.js';
import {
  parseObjectProps,
  type ObjectData,
  type ObjectPropRequest,
  type ObjectRendering,
} from '../../core/object-report.js';
import { parseAddressDataRequest, type AddressDataRequest } from './address-data-request.js';

/** What a CardDAV report asks for each card: WebDAV properties and address data (RFC 6352 §8.4). */
export type CardReportProps = ObjectPropRequest<AddressDataRequest>;

/** Parse DAV:prop / DAV:allprop / DAV:propname of a CardDAV report (RFC 6352 §8.6, §8.7). */
export function parseCardReportProps(root: XmlElement): CardReportProps {
  return parseObjectProps(root, carddav('address-data'), parseAddressDataRequest);
}

/** CARDDAV:address-data in the requested representation; 404 for a body that is not a vCard. */
function addressDataProperty(req: AddressDataRequest): ObjectData {
  const { rep, select } = req;
  const attrs: Record<string, string> =
    rep.kind === 'jcard'
      ? { 'content-type': 'application/vcard+json', version: '4.0' }
      : rep.version === '4.0'
        ? { 'content-type': 'text/vcard', version: '4.0' }
        : {};
  return {
    name: carddav('address-data'),
    shape: JSON.stringify(req),
    render: (m, text) => {
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
