import { isElement } from '../../../xml/element.js';
import { carddav } from '../../../xml/names.js';
import { DavError } from '../../core/errors.js';
import type { PropertyDef } from '../../core/registry.js';
import { isAddressbook } from '../addressbook-collection.js';

/** RFC 6352 §6.2.1: human-readable description, plain text (xml:lang allowed), writable. */
export const addressbookDescription: PropertyDef = {
  name: carddav('addressbook-description'),
  allprop: false,
  appliesTo: isAddressbook,
  // Without a stored value the property is not defined (404), as for any unset dead value.
  get: () => undefined,
  validate: (_ctx, _r, value) => {
    if (value.children.some(isElement)) throw DavError.badRequest('addressbook-description is plain text');
  },
};
