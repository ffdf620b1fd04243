import { el, elements, firstChild, isElement, textOf, type XmlElement, type XmlNode } from '../../../xml/element.js';
import { caldav, dav, type ClarkName } from '../../../xml/names.js';
import { DavError } from '../../core/errors.js';
import { multistatus, responseWithPropstats, xmlResponse } from '../../core/multistatus.js';
import { hrefOf } from '../../core/paths.js';
import { propNames, propstatsFor } from '../../core/properties.js';
import type { ReportDef } from '../../core/registry.js';
import { principalResource, type DavResource } from '../../core/resource.js';

/** Where principal searches may be sent: the principal collections (RFC 3744 §9.4) and principals. */
const onPrincipals = (r: DavResource): boolean =>
  r.path === '/principals' || r.path === '/principals/users' || r.kind === 'principal';

/** The properties a principal search can match on (RFC 3744 §9.5). */
const SEARCHABLE: readonly { readonly name: ClarkName; readonly description: string }[] = [
  { name: dav('displayname'), description: 'Display name' },
  { name: caldav('calendar-user-address-set'), description: 'Calendar user addresses' },
];

interface PropertySearch {
  readonly props: readonly ClarkName[];
  readonly match: string;
  /** Apple's match-type attribute; RFC 3744 leaves matching to the server (we do a caseless substring). */
  readonly matchType: 'contains' | 'starts-with' | 'ends-with' | 'equals';
}

export interface PrincipalSearchRequest {
  readonly searches: readonly PropertySearch[];
  readonly anyOf: boolean;
  readonly props: readonly ClarkName[];
}

function valueText(nodes: readonly XmlNode[]): string[] {
  return nodes.map((n) => (typeof n === 'string' ? n : isElement(n) ? textOf(n) : '')).filter((t) => t !== '');
}

function matches(values: readonly string[], s: PropertySearch): boolean {
  const needle = s.match.toLowerCase();
  return values.some((v) => {
    const hay = v.toLowerCase();
    switch (s.matchType) {
      case 'starts-with':
        return hay.startsWith(needle);
      case 'ends-with':
        return hay.endsWith(needle);
      case 'equals':
        return hay === needle;
      default:
        return hay.includes(needle);
    }
  });
}

/** RFC 3744 §9.4: principals whose properties match, with the properties asked for. */
export const principalPropertySearch: ReportDef<PrincipalSearchRequest> = {
  name: dav('principal-property-search'),
  appliesTo: onPrincipals,
  parse(root: XmlElement): PrincipalSearchRequest {
    const searches = elements(root, dav('property-search')).map((ps) => {
      const prop = firstChild(ps, dav('prop'));
      const match = firstChild(ps, dav('match'));
      if (!prop || !match) throw DavError.badRequest('property-search needs DAV:prop and DAV:match');
      const type = match.attrs['{}match-type'] ?? 'contains';
      return {
        props: propNames(prop),
        match: textOf(match),
        matchType: (['starts-with', 'ends-with', 'equals'].includes(type)
          ? type
          : 'contains') as PropertySearch['matchType'],
      };
    });
    if (searches.length === 0) throw DavError.badRequest('principal-property-search needs a property-search');
    const prop = firstChild(root, dav('prop'));
    return { searches, anyOf: root.attrs['{}test'] === 'anyof', props: prop ? propNames(prop) : [dav('displayname')] };
  },
  async run(ctx, _r, req) {
    const responses: XmlElement[] = [];
    for (const user of await ctx.store.listUsers()) {
      const p = principalResource(user);
      const results: boolean[] = [];
      for (const s of req.searches) {
        const values: string[] = [];
        for (const name of s.props) {
          const def = ctx.registry.properties.get(name);
          if (def?.appliesTo(p)) values.push(...valueText((await def.get(ctx, p)) ?? []));
        }
        results.push(matches(values, s));
      }
      if (req.anyOf ? results.some(Boolean) : results.every(Boolean)) {
        responses.push(
          responseWithPropstats(hrefOf(p.path, true), await propstatsFor(ctx, p, { kind: 'prop', names: req.props })),
        );
      }
    }
    return multistatus(responses);
  },
};

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
