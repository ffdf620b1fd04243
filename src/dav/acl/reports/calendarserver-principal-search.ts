import { elements, firstChild, textOf, type XmlElement } from '../../../xml/element.js';
import { caldav, cs, dav, type ClarkName } from '../../../xml/names.js';
import { DavError } from '../../core/errors.js';
import { propNames } from '../../core/properties.js';
import type { ReportDef } from '../../core/registry.js';
import type { DavResource } from '../../core/resource.js';
import { everyPrincipal } from '../principal-directory.js';
import { MAX_PRINCIPAL_RESULTS, onPrincipals, principalsAnswer } from './principal-responses.js';
import { principalMatches } from './principal-property-search.js';

export interface CalendarserverPrincipalSearchRequest {
  /** Every token must match one of the searched properties (caselessly, as a substring). */
  readonly tokens: readonly string[];
  /** `context`: attendee (people and groups), location or resource (none here). */
  readonly context: string | null;
  readonly limit: number;
  readonly props: readonly ClarkName[];
}

/** What each token is looked for in: the name, the calendar addresses and the e-mail addresses. */
const SEARCHED: readonly ClarkName[] = [
  dav('displayname'),
  caldav('calendar-user-address-set'),
  cs('email-address-set'),
];

/**
 * CalendarServer's CS:calendarserver-principal-search (what macOS Calendar sends while an
 * attendee's name is typed, when the server lists it in supported-report-set; RFC 3744 §9.4
 * principal-property-search otherwise): search tokens, all of which must match, a context and
 * a CS:limit. The same matching and the same bound (MAX_PRINCIPAL_RESULTS, then 507).
 */
export const calendarserverPrincipalSearch: ReportDef<CalendarserverPrincipalSearchRequest> = {
  name: cs('calendarserver-principal-search'),
  appliesTo: onPrincipals,
  parse(root: XmlElement): CalendarserverPrincipalSearchRequest {
    const tokens = elements(root, cs('search-token'))
      .map((t) => textOf(t).trim())
      .filter((t) => t !== '');
    if (tokens.length === 0) throw DavError.badRequest('calendarserver-principal-search needs a search-token');
    const asked = Number(textOf(firstChild(firstChild(root, cs('limit')) ?? root, cs('nresults')) ?? root));
    const prop = firstChild(root, dav('prop'));
    return {
      tokens,
      context: root.attrs['{}context'] ?? null,
      limit: Number.isInteger(asked) && asked > 0 ? Math.min(asked, MAX_PRINCIPAL_RESULTS) : MAX_PRINCIPAL_RESULTS,
      props: prop ? propNames(prop) : [dav('displayname')],
    };
  },
  async run(ctx, r, req) {
    const found: DavResource[] = [];
    // Only people and groups are principals here: a location or resource search finds nothing.
    const candidates = req.context === 'location' || req.context === 'resource' ? [] : await everyPrincipal(ctx.store);
    const search = {
      searches: req.tokens.map((match) => ({ props: SEARCHED, match, matchType: 'contains' as const })),
      anyOf: false,
      props: req.props,
    };
    for (const p of candidates) {
      if (await principalMatches(ctx, p, search)) found.push(p);
      if (found.length > req.limit) break;
    }
    return principalsAnswer(ctx, r, found, req.props, req.limit);
  },
};
