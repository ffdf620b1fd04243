import { elements, textOf, type XmlElement, type XmlNode } from '../../../xml/element.js';
import { carddav, dav } from '../../../xml/names.js';
import { DavError } from '../../core/errors.js';
import { multistatus, responseWithPropstats, responseWithStatus } from '../../core/multistatus.js';
import { storePathOfUri } from '../../core/paths.js';
import type { ReportDef } from '../../core/registry.js';
import { storedResource } from '../../core/resource.js';
import { privilegesOf } from '../../acl/privileges.js';
import { isAddressbook, isCardPath } from '../properties/is-addressbook.js';
import { cardPropstats, parseCardProps, type CardPropRequest } from './card-props.js';
import { cacheableProps } from '../../core/properties.js';
import { parentPath } from '../../../store/paths.js';
import { reportFragments } from '../../core/report-fragments.js';

/** The store path an href names, or null when it names none. */
function hrefPath(href: string): string | null {
  try {
    return storePathOfUri(href);
  } catch {
    return null;
  }
}

export interface AddressbookMultiget {
  readonly props: CardPropRequest;
  readonly hrefs: readonly string[];
}

/** Most hrefs one multiget may name. */
export const MAX_HREFS = 10_000;

/** RFC 6352 §8.7: the named cards, each with its properties and address data. */
export const addressbookMultiget: ReportDef<AddressbookMultiget> = {
  name: carddav('addressbook-multiget'),
  appliesTo: (r) => isAddressbook(r) || isCardPath(r),
  // Hrefs deeper than the members would read another collection's state.
  cacheable: (r, req) => cacheableProps(req.props.props) && req.hrefs.every((href) => {
    const path = hrefPath(href);
    return path === null || !path.startsWith(`${r.path}/`) || parentPath(path) === r.path;
  }),
  parse(root: XmlElement): AddressbookMultiget {
    const hrefs = elements(root, dav('href')).map((h) => textOf(h).trim());
    if (hrefs.length === 0) throw DavError.badRequest('addressbook-multiget needs at least one DAV:href');
    if (hrefs.length > MAX_HREFS) throw DavError.condition('number-of-matches-within-limits', `at most ${MAX_HREFS} hrefs`, [], 403);
    return { props: parseCardProps(root), hrefs };
  },
  async run(ctx, r, req) {
    const pathOf = (href: string): string | null => {
      const path = hrefPath(href);
      return path !== null && (path === r.path || path.startsWith(`${r.path}/`)) ? path : null;
    };
    const paths = req.hrefs.map(pathOf);
    // One query for the rows and one per few hundred for the bodies, whatever the href count.
    const found = new Map((await ctx.store.getResourcesByPaths(paths.filter((p): p is string => p !== null))).map((m) => [m.path, m]));
    // Members rendered before for this shape (and href) need neither their body nor their propstats.
    const fragments = reportFragments(ctx.settings.memberFragments, ctx.user.id, req.props.props, ['carddav', JSON.stringify(req.props.addressData)]);
    const rendered = new Map<number, XmlNode>();
    for (const [i, href] of fragments ? req.hrefs.entries() : []) {
      const stored = paths[i] ? found.get(paths[i]!) : undefined;
      const f = stored && !stored.isCollection ? fragments!.lookup(stored, href) : undefined;
      if (f) rendered.set(i, f);
    }
    const renderedIds = new Set([...rendered.keys()].map((i) => found.get(paths[i]!)!.id));
    const bodies = req.props.addressData
      ? await ctx.store.readBodies([...found.values()].filter((m) => !m.isCollection && !renderedIds.has(m.id)).map((m) => m.id))
      : null;
    const decoder = new TextDecoder();
    const responses = async function* (): AsyncGenerator<XmlNode> {
      for (const [i, href] of req.hrefs.entries()) {
        const path = paths[i];
        const stored = path ? found.get(path) : undefined;
        if (!stored || stored.isCollection) {
          yield responseWithStatus(href, 404);
          continue;
        }
        const member = storedResource(stored);
        if (!privilegesOf(ctx.user, member).has('read')) {
          yield responseWithStatus(href, 403);
          continue;
        }
        const done = rendered.get(i);
        if (done) {
          yield done;
          continue;
        }
        const body = bodies?.get(stored.id);
        if (bodies && body === undefined) {
          yield responseWithStatus(href, 404); // deleted since it was looked up
          continue;
        }
        const response = responseWithPropstats(href, await cardPropstats(ctx, member, req.props, body && decoder.decode(body)));
        yield fragments ? fragments.keep(stored, response, href) : response;
      }
    };
    return multistatus(responses());
  },
};
