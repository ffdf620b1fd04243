import { el } from '../../../xml/element.js';
import { caldav, cs, dav, type ClarkName } from '../../../xml/names.js';
import { xmlResponse } from '../../core/multistatus.js';
import type { ReportDef } from '../../core/registry.js';
import { onPrincipals } from './principal-responses.js';

/** The properties principal-property-search is meant to match on (RFC 3744 §9.5). */
const SEARCHABLE: readonly { readonly name: ClarkName; readonly description: string }[] = [
  { name: dav('displayname'), description: 'Display name' },
  { name: caldav('calendar-user-address-set'), description: 'Calendar user addresses' },
  { name: cs('email-address-set'), description: 'E-mail addresses' },
];

/** RFC 3744 §9.5: which properties principal-property-search can match. */
export const principalSearchPropertySet: ReportDef<null> = {
  name: dav('principal-search-property-set'),
  appliesTo: onPrincipals,
  parse: () => null,
  async run() {
    return xmlResponse(
      200,
      el(
        dav('principal-search-property-set'),
        {},
        ...SEARCHABLE.map((s) =>
          el(
            dav('principal-search-property'),
            {},
            el(dav('prop'), {}, el(s.name)),
            el(dav('description'), { '{http://www.w3.org/XML/1998/namespace}lang': 'en' }, s.description),
          ),
        ),
      ),
    );
  },
};
