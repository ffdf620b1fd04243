import { elements, textOf, type XmlElement } from '../../../xml/element.js';
import { carddav, dav } from '../../../xml/names.js';
import { DavError } from '../../core/errors.js';
import { multistatus, responseWithPropstats, responseWithStatus } from '../../core/multistatus.js';
import { storePathOfUri } from '../../core/paths.js';
import type { ReportDef } from '../../core/registry.js';
import { resolve } from '../../core/resource.js';
import { privilegesOf } from '../../acl/privileges.js';
import { isAddressbook, isCardPath } from '../properties/is-addressbook.js';
import { cardPropstats, parseCardProps, type CardPropRequest } from './card-props.js';

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
  parse(root: XmlElement): AddressbookMultiget {
    const hrefs = elements(root, dav('href')).map((h) => textOf(h).trim());
    if (hrefs.length === 0) throw DavError.badRequest('addressbook-multiget needs at least one DAV:href');
    if (hrefs.length > MAX_HREFS) throw DavError.condition('number-of-matches-within-limits', `at most ${MAX_HREFS} hrefs`, [], 403);
    return { props: parseCardProps(root), hrefs };
  },
  async run(ctx, r, req) {
    const responses: XmlElement[] = [];
    for (const href of req.hrefs) {
      let path: string | null;
      try {
        path = storePathOfUri(href);
      } catch {
        path = null;
      }
      const inScope = path !== null && (path === r.path || path.startsWith(`${r.path}/`));
      const member = inScope && path !== null ? await resolve(ctx.store, path) : null;
      if (!member || member.isCollection || !member.stored) {
        responses.push(responseWithStatus(href, 404));
        continue;
      }
      if (!privilegesOf(ctx.user, member).has('read')) {
        responses.push(responseWithStatus(href, 403));
        continue;
      }
      responses.push(responseWithPropstats(href, await cardPropstats(ctx, member, req.props)));
    }
    return multistatus(responses);
  },
};
