import { el } from '../../../xml/element.js';
import { carddav } from '../../../xml/names.js';
import { SUPPORTED_ADDRESS_DATA } from '../../../formats/vcard/represent.js';
import type { PropertyDef } from '../../core/registry.js';
import { isAddressbook } from '../addressbook-collection.js';

/** RFC 6352 §6.2.2: vCard 3.0 and 4.0 and jCard (RFC 7095) are stored and converted; protected. */
export const supportedAddressData: PropertyDef = {
  name: carddav('supported-address-data'),
  allprop: false,
  appliesTo: isAddressbook,
  get: () =>
    SUPPORTED_ADDRESS_DATA.map((t) =>
      el(carddav('address-data-type'), { 'content-type': t.contentType, version: t.version }),
    ),
};
