import { el, firstChild, textOf, type XmlElement } from '../../../xml/element.js';
import { carddav, dav } from '../../../xml/names.js';
import { cardMatches, type CardFilter } from '../../../domain/contacts/filter.js';
import { planFilter, planIsExact } from '../../../domain/contacts/planner.js';
import { candidates } from '../../../domain/contacts/query.js';
import { parseStored } from '../../../formats/vcard/represent.js';
import type { Resource } from '../../../store/types.js';
import { header } from '../../core/context.js';
import { DavError } from '../../core/errors.js';
import { multistatus, responseWithStatus } from '../../core/multistatus.js';
import { hrefOf } from '../../core/paths.js';
import { cacheableProps } from '../../core/properties.js';
import type { ReportDef } from '../../core/registry.js';
import { isAddressbook, isCardPath } from '../properties/is-addressbook.js';
import { objectResponse } from '../../core/object-report.js';
import { cardRendering, parseCardReportProps, type CardReportProps } from './card-report-props.js';
import { parseFilter } from './filter-xml.js';

export interface AddressbookQuery {
  readonly props: CardReportProps;
  readonly filter: CardFilter;
  readonly limit: number | null;
}

/** Most results one query returns without a client limit; more are truncated (RFC 6352 §8.6.2). */
export const SERVER_RESULT_LIMIT = 5_000;

/** Candidate bodies are read this many per query. */
const BODY_BATCH = 200;

/** RFC 6352 §8.6: find the cards of an address book matching a filter. */
export const addressbookQuery: ReportDef<AddressbookQuery> = {
  name: carddav('addressbook-query'),
  appliesTo: (r) => isAddressbook(r) || isCardPath(r),
  cacheable: (_r, req) => cacheableProps(req.props.props),
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
    // The Depth header sets the scope (§8.6); clients that leave it out mean the members.
    const depth = header(ctx, 'depth')?.trim() ?? '1';
    const decoder = new TextDecoder();
    const how = cardRendering(req.props);
    const cap = Math.min(req.limit ?? SERVER_RESULT_LIMIT, SERVER_RESULT_LIMIT);
    let pool: Resource[] | null;
    if (!coll.isCollection) pool = [coll];
    else if (depth === '0') pool = [];
    else pool = await candidates(ctx.store, coll.id, planFilter(req.filter), planIsExact(req.filter) ? cap + 1 : undefined);
    pool ??= await ctx.store.listChildren(coll.id);

    const responses: XmlElement[] = [];
    let truncated = false;
    const objects = pool.filter((m) => !m.isCollection);
    scan: for (let i = 0; i < objects.length; i += BODY_BATCH) {
      const batch = objects.slice(i, i + BODY_BATCH);
      const bodies = await ctx.store.readBodies(batch.map((m) => m.id));
      for (const m of batch) {
        const body = bodies.get(m.id);
        if (body === undefined) continue; // deleted since the listing
        const text = decoder.decode(body);
        let matched: boolean;
        try {
          matched = cardMatches(parseStored(text, m.contentType), req.filter);
        } catch {
          continue; // not address data
        }
        if (!matched) continue;
        if (responses.length >= cap) {
          truncated = true;
          break scan;
        }
        responses.push(await objectResponse(ctx, m, hrefOf(m.path, false), text, how));
      }
    }
    if (truncated) {
      // §8.6.2: 507 on the Request-URI, not counted in the limit.
      responses.unshift(responseWithStatus(hrefOf(r.path, r.isCollection), 507, el(dav('number-of-matches-within-limits'))));
    }
    return multistatus(responses);
  },
};
