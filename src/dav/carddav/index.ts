import { carddav } from '../../xml/names.js';
import type { Registry } from '../core/registry.js';
import { exportAddressbook } from './collection-export.js';
import { addressbookObjectType } from './object-type.js';
import { addressData } from './properties/address-data.js';
import { addressbookDescription } from './properties/addressbook-description.js';
import { addressbookHomeSet } from './properties/addressbook-home-set.js';
import { directoryGateway } from './properties/directory-gateway.js';
import { maxResourceSize } from './properties/max-resource-size.js';
import { principalAddress } from './properties/principal-address.js';
import { supportedAddressData } from './properties/supported-address-data.js';
import { supportedCollationSet } from './properties/supported-collation-set.js';
import { addressbookMultiget } from './reports/addressbook-multiget.js';
import { addressbookQuery } from './reports/addressbook-query.js';

/** RFC 6352 CardDAV: everything it adds, listed once. */
export function registerCarddav(registry: Registry): void {
  registry.compliance.push('addressbook');
  registry.collectionType({
    name: 'addressbook',
    resourceType: [carddav('addressbook')],
    objects: addressbookObjectType,
    exportCollection: exportAddressbook,
  });
  for (const p of [
    addressbookHomeSet,
    directoryGateway,
    principalAddress,
    addressbookDescription,
    supportedAddressData,
    maxResourceSize,
    supportedCollationSet,
    addressData,
  ])
    registry.property(p);
  registry.report(addressbookQuery);
  registry.report(addressbookMultiget);
}
