import type { XmlElement } from '../../../xml/element.js';
import { carddav } from '../../../xml/names.js';
import { multigetCacheable, parseMultiget, runMultiget, type MultigetRequest } from '../../core/object-multiget.js';
import type { ReportDef } from '../../core/registry.js';
import { isHomeIn } from '../../core/home-collections.js';
import { isAddressbook, isCardPath } from '../addressbook-collection.js';
import type { AddressDataRequest } from './address-data-request.js';
import { cardRendering, parseCardReportProps } from './addressbook-report-props.js';

export type AddressbookMultiget = MultigetRequest<AddressDataRequest>;

/** RFC 6352 §8.7: the named cards, each with its properties and address data (dav/core/object-multiget.ts). */
export const addressbookMultiget: ReportDef<AddressbookMultiget> = {
  name: carddav('addressbook-multiget'),
  // §8.7: on any collection, hrefs at any depth in it: an address book, or the home (several books).
  appliesTo: (r) => isAddressbook(r) || isCardPath(r) || isHomeIn('/addressbooks', r),
  cacheable: multigetCacheable,
  parse: (root: XmlElement) => parseMultiget(root, 'addressbook-multiget', parseCardReportProps),
  run: (ctx, r, req) => runMultiget(ctx, r, req, isCardPath, cardRendering(req.props)),
};
