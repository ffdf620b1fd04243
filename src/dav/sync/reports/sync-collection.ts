import { el, firstChild, textOf, type XmlElement, type XmlNode } from '../../../xml/element.js';
import { dav } from '../../../xml/names.js';
import { DavError } from '../../core/errors.js';
import { multistatus, responseWithStatus } from '../../core/multistatus.js';
import { hrefOf } from '../../core/paths.js';
import { cacheableProps, propNames, type PropRequest } from '../../core/properties.js';
import type { ReportDef } from '../../core/registry.js';
import { instancesIn, storedResource, type DavResource } from '../../core/resource.js';
import { listedPagesOf } from '../../core/members.js';
import { responsesOf, type Listed } from '../../core/member-responses.js';
import { parseSyncToken, syncToken } from '../token.js';
import { ahead } from '../../../domain/cooperative.js';
import type { Change } from '../../../store/types.js';

export interface SyncCollectionRequest {
  readonly token: string;
  readonly limit: number | null;
  readonly props: PropRequest;
}

/** Most changes read from the feed for one report; the client pages through the rest. */
const MAX_CHANGES = 10_000;

/** A feed entry's member name without the trailing `/` of a collection (store/paths.ts memberName). */
const bareName = (c: Change): string => (c.name.endsWith('/') ? c.name.slice(0, -1) : c.name);

/** The latest change per member, in feed order (older feeds name collections without the slash). */
function latestPerMember(changes: readonly Change[]): Change[] {
  const byName = new Map<string, Change>();
  for (const c of changes) {
    byName.delete(bareName(c));
    byName.set(bareName(c), c);
  }
  return [...byName.values()];
}

/** RFC 6578 §3: the sync-collection report, answered from the collection's change feed. */
export const syncCollection: ReportDef<SyncCollectionRequest> = {
  name: dav('sync-collection'),
  appliesTo: (r) => r.stored?.isCollection === true,
  // The feed read is this collection's own, whatever the sync-level.
  cacheable: (ctx, _r, req) => cacheableProps(ctx.registry, req.props),
  parse(root: XmlElement): SyncCollectionRequest {
    const tokenEl = firstChild(root, dav('sync-token'));
    const level = firstChild(root, dav('sync-level'));
    if (level && !['1', 'infinite'].includes(textOf(level).trim()))
      throw DavError.badRequest('sync-level must be 1 or infinite');
    const limitEl = firstChild(root, dav('limit'));
    const nresults = limitEl ? firstChild(limitEl, dav('nresults')) : undefined;
    const limit = nresults ? Number(textOf(nresults).trim()) : null;
    if (limit !== null && (!Number.isInteger(limit) || limit < 1))
      throw DavError.badRequest('nresults must be a positive integer');
    const prop = firstChild(root, dav('prop'));
    return {
      token: tokenEl ? textOf(tokenEl).trim() : '',
      limit,
      props: prop ? { kind: 'prop', names: propNames(prop) } : { kind: 'prop', names: [] },
    };
  },
  async run(ctx, r, req) {
    const coll = r.stored;
    if (!coll) throw DavError.notFound();
    let since: number | null = req.token === '' ? null : parseSyncToken(req.token, coll.id);
    // The feed after a token is read beside the floor that says whether the token still holds
    // (§3.2; issue #20: one round trip on PostgreSQL, not two); a token past the sequence is refused without it.
    const feedAhead =
      since !== null && since <= coll.syncSeq ? ahead(ctx.store.changesSince(coll.id, since, MAX_CHANGES + 1)) : null;
    const floor = await ctx.store.oldestSyncSeq(coll.id);
    const expired = (): DavError =>
      DavError.condition('valid-sync-token', 'the sync token has expired or is unknown; do a full sync');
    if (since !== null && (since < floor || since > coll.syncSeq)) throw expired();
    // An initial sync with a limit can be paged through the feed while it reaches back to the start.
    if (since === null && req.limit !== null && floor === 0) since = 0;

    if (since === null) {
      // Initial sync: every member, read page by page while the answer is sent.
      const members = async function* (): AsyncGenerator<readonly XmlNode[]> {
        for await (const page of listedPagesOf(ctx.settings.caches.listings, ctx.store, coll)) {
          yield* responsesOf(ctx, page.map(storedResource), req.props);
        }
        // A home's members include the sharee's instances, as its PROPFIND lists them.
        if (!r.instance) yield* responsesOf(ctx, await instancesIn(ctx.store, r), req.props);
      };
      return multistatus(members(), [el(dav('sync-token'), {}, syncToken(coll.id, coll.syncSeq))]);
    }

    let newSeq = coll.syncSeq;
    let truncated = false;
    const feed = await (feedAhead ?? ctx.store.changesSince(coll.id, since, MAX_CHANGES + 1));
    // A feed has one change per sequence number: one that does not go on from the client's token
    // was compacted past it while the floor was read (store/sql/change-feed.ts).
    if (feedAhead && since < coll.syncSeq && feed[0]?.seq !== since + 1) throw expired();
    let changes = latestPerMember(feed.slice(0, MAX_CHANGES));
    if (feed.length > MAX_CHANGES) {
      truncated = true;
      newSeq = feed[MAX_CHANGES - 1]?.seq ?? newSeq;
    }
    if (req.limit !== null && changes.length > req.limit) {
      // RFC 6578 §3.6: return the oldest `limit` changes; the token resumes after the last one.
      changes = changes.sort((a, b) => a.seq - b.seq).slice(0, req.limit);
      const cut = changes[changes.length - 1]?.seq ?? since;
      // Every change up to `cut` is reflected: a member left out has its latest change after it.
      newSeq = cut;
      truncated = true;
    }
    changes.sort((a, b) => a.seq - b.seq);
    const pathOf = (c: Change): string => `${coll.path}/${bareName(c)}`;
    const live = new Map(
      (await ctx.store.getResourcesByPaths(changes.filter((c) => c.op !== 'delete').map(pathOf))).map((m) => [
        m.path,
        m,
      ]),
    );
    // A name in a home's feed with no row of its own may be one of the sharee's instances (recorded by the store).
    const instances =
      !r.instance && changes.some((c) => c.op !== 'delete' && !live.has(pathOf(c)))
        ? new Map((await instancesIn(ctx.store, r)).map((i) => [i.path, i]))
        : new Map<string, DavResource>();
    const listed: Listed[] = changes.map((c) => {
      const m = c.op === 'delete' ? undefined : live.get(pathOf(c));
      const instance = c.op === 'delete' || m ? undefined : instances.get(pathOf(c));
      if (instance) return instance;
      if (m) return storedResource(m);
      return { response: responseWithStatus(hrefOf(pathOf(c), c.name.endsWith('/')), 404) };
    });
    if (truncated) {
      listed.push({
        response: responseWithStatus(hrefOf(coll.path, true), 507, el(dav('number-of-matches-within-limits'))),
      });
    }
    const changed = (): AsyncGenerator<readonly XmlNode[]> => responsesOf(ctx, listed, req.props);
    return multistatus(changed(), [el(dav('sync-token'), {}, syncToken(coll.id, newSeq))]);
  },
};
