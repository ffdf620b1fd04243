import { DIRECTORY_BOOK } from '../../../domain/directory/directory-book.js';
import { el } from '../../../xml/element.js';
import { carddav, dav } from '../../../xml/names.js';
import { hrefOf } from '../../core/paths.js';
import type { PropertyDef } from '../../core/registry.js';

/**
 * draft-daboo-carddav-directory-gateway §3, §5: on every user principal, the server-wide
 * directory address book (domain/directory). Protected, not in allprop.
 */
export const directoryGateway: PropertyDef = {
  name: carddav('directory-gateway'),
  allprop: false,
  appliesTo: (r) => r.kind === 'principal' && r.principal !== null,
  get: (_ctx, r) => (r.principal ? [el(dav('href'), {}, hrefOf(DIRECTORY_BOOK, true))] : undefined),
};
