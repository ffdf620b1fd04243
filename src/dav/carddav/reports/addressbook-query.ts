import { firstChild, textOf, type XmlElement } from '../../../xml/element.js';
import { carddav } from '../../../xml/names.js';
import type { CardFilter } from '../../../domain/contacts/filter.js';
import { cardFilter } from '../../../domain/contacts/query.js';
import { DIRECTORY_RESULT_LIMIT } from '../../../domain/directory/directory-book.js';
import { header } from '../../core/context.js';
import { DavError } from '../../core/errors.js';
import { multistatus } from '../../core/multistatus.js';
import { queryResponses, runObjectQuery, runQuery } from '../../core/object-query.js';
import { homeResponses, isHomeIn } from '../../core/home-collections.js';
import { hrefOf } from '../../core/paths.js';
import { cacheableProps } from '../../core/properties.js';
import type { ReportDef } from '../../core/registry.js';
import { isAddressbook, isCardPath } from '../addressbook-collection.js';
import { cardRendering, parseCardReportProps, type CardReportProps } from './addressbook-report-props.js';
import { parseFilter } from './filter-xml.js';

export interface AddressbookQuery {
  readonly props: CardReportProps;
  readonly filter: CardFilter;
  readonly limit: number | null;
}

/** Most results one query returns without a client limit; more are truncated (RFC 6352 §8.6.2). */
const SERVER_RESULT_LIMIT = 5_000;

/** RFC 6352 §8.6: find the cards of an address book matching a filter (dav/core/object-query.ts). */
export const addressbookQuery: ReportDef<AddressbookQuery> = {
  name: carddav('addressbook-query'),
  appliesTo: (r) => isAddressbook(r) || isCardPath(r) || isHomeIn('/addressbooks', r),
  cacheable: (ctx, _r, req) => cacheableProps(ctx.registry, req.props.props),
  parse(root: XmlElement): AddressbookQuery {
    const limitEl = firstChild(root, carddav('limit'));
    const nresults = limitEl ? firstChild(limitEl, carddav('nresults')) : undefined;
    let limit: number | null = null;
    if (nresults) {
      const v = textOf(nresults).trim();
      if (!/^\d+$/.test(v)) throw DavError.badRequest('nresults must be an unsigned integer');
      limit = Number(v);
    }
    return { props: parseCardReportProps(root), filter: parseFilter(firstChild(root, carddav('filter'))), limit };
  },
  async run(ctx, r, req) {
    const coll = r.stored;
    if (!coll) throw DavError.notFound();
    const how = cardRendering(req.props);
    if (!coll.isCollection) return runObjectQuery(ctx, coll, cardFilter(req.filter), how);
    // The Depth header sets the scope (§8.6); clients that leave it out mean the members.
    if (header(ctx, 'depth')?.trim() === '0') return multistatus([]);
    // The directory gateway answers fewer (draft-daboo-carddav-directory-gateway §5, §6).
    const most = coll.derived === 'directory' ? DIRECTORY_RESULT_LIMIT : SERVER_RESULT_LIMIT;
    const limit = Math.min(req.limit ?? most, most);
    if (!isHomeIn('/addressbooks', r))
      return runQuery(ctx, coll, cardFilter(req.filter), how, { limit, href: hrefOf(r.path, r.isCollection) });
    // On the home: every address book the user may read, one after the other, each within the limit.
    return homeResponses(ctx, coll, isAddressbook, (book) =>
      queryResponses(ctx, book, cardFilter(req.filter), how, { limit, href: hrefOf(r.path, r.isCollection) }),
    );
  },
};
