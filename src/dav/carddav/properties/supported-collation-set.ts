import { el } from '../../../xml/element.js';
import { carddav } from '../../../xml/names.js';
import { COLLATIONS } from '../../../formats/vcard/text.js';
import type { PropertyDef } from '../../core/registry.js';
import { isAddressbook } from '../addressbook-collection.js';

/** RFC 6352 §8.3.1: the collations text-match accepts; protected. */
export const supportedCollationSet: PropertyDef = {
  name: carddav('supported-collation-set'),
  allprop: false,
  appliesTo: isAddressbook,
  get: () => COLLATIONS.map((c) => el(carddav('supported-collation'), {}, c)),
};
