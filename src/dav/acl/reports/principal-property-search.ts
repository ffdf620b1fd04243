import { elements, firstChild, isElement, textOf, type XmlElement, type XmlNode } from '../../../xml/element.js';
import { dav, type ClarkName } from '../../../xml/names.js';
import type { DavContext } from '../../core/context.js';
import { DavError } from '../../core/errors.js';
import { propNames } from '../../core/properties.js';
import type { ReportDef } from '../../core/registry.js';
import type { DavResource } from '../../core/resource.js';
import { everyPrincipal, principalMembers } from '../principal-directory.js';
import { MAX_PRINCIPAL_RESULTS, onPrincipals, principalsAnswer } from './principal-responses.js';

type MatchType = 'contains' | 'starts-with' | 'ends-with' | 'equals';

interface PropertySearch {
  readonly props: readonly ClarkName[];
  readonly match: string;
  /** Apple's match-type attribute; RFC 3744 leaves matching to the server (we do a caseless substring). */
  readonly matchType: MatchType;
}

export interface PrincipalSearchRequest {
  readonly searches: readonly PropertySearch[];
  /** test="anyof" (CalendarServer, Apple, Evolution): one search matching is enough; else all must. */
  readonly anyOf: boolean;
  readonly props: readonly ClarkName[];
  /** RFC 3744 §9.4 DAV:apply-to-principal-collection-set: search every principal collection. */
  readonly applyToPrincipalCollectionSet?: true;
}

const MATCH_TYPES: readonly string[] = ['starts-with', 'ends-with', 'equals'];

/** The text of each value of a property: the text of each child element (an href) or the text itself. */
function valueText(nodes: readonly XmlNode[]): string[] {
  return nodes.map((n) => (typeof n === 'string' ? n : isElement(n) ? textOf(n) : '')).filter((t) => t !== '');
}

function matchesOne(hay: string, needle: string, type: MatchType): boolean {
  switch (type) {
    case 'starts-with':
      return hay.startsWith(needle);
    case 'ends-with':
      return hay.endsWith(needle);
    case 'equals':
      return hay === needle;
    default:
      return hay.includes(needle);
  }
}

/**
 * Caseless match of one value. A URI value (mailto:alice@example.com) is matched with and
 * without its scheme, so Apple's starts-with "ali" on calendar-user-address-set finds Alice.
 */
function matches(values: readonly string[], s: PropertySearch): boolean {
  const needle = s.match.toLowerCase();
  return values.some((v) => {
    const hay = v.toLowerCase();
    const bare = hay.replace(/^mailto:/, '');
    return matchesOne(hay, needle, s.matchType) || matchesOne(bare, needle, s.matchType);
  });
}

/** Whether principal `p` matches the searches (anyof or allof); also calendarserver-principal-search's test. */
export async function principalMatches(ctx: DavContext, p: DavResource, req: PrincipalSearchRequest): Promise<boolean> {
  const results: boolean[] = [];
  for (const s of req.searches) {
    const values: string[] = [];
    for (const name of s.props) {
      const def = ctx.registry.properties.get(name);
      if (def?.appliesTo(p) && !def.readPrivilege) values.push(...valueText((await def.get(ctx, p)) ?? []));
    }
    results.push(matches(values, s));
  }
  return req.anyOf ? results.some(Boolean) : results.every(Boolean);
}

/**
 * The principals a search looks at: every principal with apply-to-principal-collection-set or
 * on the DAV root or /principals; else the members of the request URI at any depth (the users
 * of /principals/users, the groups of /principals/groups, a user principal's proxy groups).
 */
async function candidates(ctx: DavContext, r: DavResource, req: PrincipalSearchRequest): Promise<DavResource[]> {
  if (req.applyToPrincipalCollectionSet || r.path === '/' || r.path === '/principals') return everyPrincipal(ctx.store);
  return (await principalMembers(ctx.store, r)) ?? [];
}

function parseSearch(ps: XmlElement): PropertySearch {
  const prop = firstChild(ps, dav('prop'));
  const match = firstChild(ps, dav('match'));
  if (!prop || !match) throw DavError.badRequest('property-search needs DAV:prop and DAV:match');
  const type = match.attrs['{}match-type'] ?? 'contains';
  return {
    props: propNames(prop),
    match: textOf(match),
    matchType: (MATCH_TYPES.includes(type) ? type : 'contains') as MatchType,
  };
}

/**
 * RFC 3744 §9.4: the principals whose properties match, with the properties asked for. Every
 * authenticated user may search the whole directory of users and groups (principal-directory.ts);
 * at most MAX_PRINCIPAL_RESULTS are answered, then a 507.
 */
export const principalPropertySearch: ReportDef<PrincipalSearchRequest> = {
  name: dav('principal-property-search'),
  appliesTo: onPrincipals,
  parse(root: XmlElement): PrincipalSearchRequest {
    const searches = elements(root, dav('property-search')).map(parseSearch);
    if (searches.length === 0) throw DavError.badRequest('principal-property-search needs a property-search');
    const prop = firstChild(root, dav('prop'));
    return {
      searches,
      anyOf: root.attrs['{}test'] === 'anyof',
      props: prop ? propNames(prop) : [dav('displayname')],
      ...(firstChild(root, dav('apply-to-principal-collection-set')) ? { applyToPrincipalCollectionSet: true } : {}),
    };
  },
  async run(ctx, r, req) {
    const found: DavResource[] = [];
    for (const p of await candidates(ctx, r, req)) {
      if (await principalMatches(ctx, p, req)) found.push(p);
      if (found.length > MAX_PRINCIPAL_RESULTS) break; // enough to know the answer is cut
    }
    return principalsAnswer(ctx, r, found, req.props);
  },
};
