import { firstChild, isElement, textOf, type XmlElement } from '../../../xml/element.js';
import { dav, type ClarkName } from '../../../xml/names.js';
import { covers } from '../../../domain/acl/grants.js';
import type { DavContext } from '../../core/context.js';
import { DavError } from '../../core/errors.js';
import { childrenOf } from '../../core/members.js';
import { storePathOfUri } from '../../core/paths.js';
import { propNames } from '../../core/properties.js';
import type { ReportDef } from '../../core/registry.js';
import {
  groupResource,
  principalPath,
  principalResource,
  storedResource,
  type DavResource,
} from '../../core/resource.js';
import { privilegesOf } from '../privileges.js';
import { everyPrincipal, proxyGroupsOf } from '../principal-directory.js';
import { MAX_PRINCIPAL_RESULTS, requireDepthZero, principalsAnswer } from './principal-responses.js';

export interface PrincipalMatchRequest {
  /** DAV:self, or DAV:principal-property naming the property whose href must be the user's. */
  readonly match: { readonly kind: 'self' } | { readonly kind: 'property'; readonly name: ClarkName };
  readonly props: readonly ClarkName[];
}

/** The most members a principal-property match walks below a stored collection. */
const MAX_VISITED = 5000;

/** The principals that are the current user: their principal and every group holding them (proxy groups too). */
async function selfPrincipals(ctx: DavContext): Promise<DavResource[]> {
  const me = await ctx.store.getUserByName(ctx.user.name);
  if (!me) return [];
  return [principalResource(me), ...(await ctx.store.groupsOf(me.id)).map(groupResource)];
}

/** The resources at or below `r` a principal-property match looks at: principals, or readable stored members. */
async function membersAnyDepth(ctx: DavContext, r: DavResource): Promise<DavResource[]> {
  if (!r.stored) {
    const all = await everyPrincipal(ctx.store);
    for (const u of all.filter((p) => p.principal)) all.push(...(await proxyGroupsOf(ctx.store, u)));
    return all.filter((p) => r.path === '/' || covers(r.path, p.path));
  }
  const out: DavResource[] = [storedResource(r.stored)];
  for (let i = 0; i < out.length && out.length <= MAX_VISITED; i++) {
    const c = out[i];
    if (c?.stored?.isCollection) for await (const m of childrenOf(ctx.store, c.stored.id)) out.push(storedResource(m));
  }
  if (out.length > MAX_VISITED) throw DavError.condition('number-of-matches-within-limits', 'too many members');
  return out.filter((m) => privilegesOf(ctx.user, m).has('read'));
}

/** Whether property `name` of `r` holds an href naming one of `mine` (principal store paths). */
async function namesMe(ctx: DavContext, r: DavResource, name: ClarkName, mine: ReadonlySet<string>): Promise<boolean> {
  const def = ctx.registry.properties.get(name);
  if (!def?.appliesTo(r) || def.readPrivilege) return false;
  for (const n of (await def.get(ctx, r)) ?? []) {
    if (!isElement(n) || n.name !== dav('href')) continue;
    const path = storePathOfUri(textOf(n).trim());
    if (path !== null && mine.has(path)) return true;
  }
  return false;
}

/**
 * RFC 3744 §9.3 principal-match: with DAV:self, the principals at or below the request URI that
 * are the current user or a group holding them (caldav-proxy §5.2 uses it to find the proxy
 * groups a user is in); with DAV:principal-property, the members (any depth) whose property
 * (e.g. DAV:owner) names the user or one of their groups. Depth 0 only.
 */
export const principalMatch: ReportDef<PrincipalMatchRequest> = {
  name: dav('principal-match'),
  appliesTo: (r) => r.isCollection || r.kind === 'principal',
  parse(root: XmlElement, ctx): PrincipalMatchRequest {
    requireDepthZero(ctx, 'principal-match');
    const prop = firstChild(root, dav('prop'));
    const props = prop ? propNames(prop) : [];
    if (firstChild(root, dav('self'))) return { match: { kind: 'self' }, props };
    const named = firstChild(root, dav('principal-property'))?.children.find(isElement);
    if (!named) throw DavError.badRequest('principal-match needs DAV:self or DAV:principal-property');
    return { match: { kind: 'property', name: named.name }, props };
  },
  async run(ctx, r, req) {
    const mine = await selfPrincipals(ctx);
    if (req.match.kind === 'self') {
      return principalsAnswer(
        ctx,
        r,
        mine.filter((p) => r.path === '/' || covers(r.path, p.path)),
        req.props,
      );
    }
    const paths = new Set(mine.map((p) => p.path));
    paths.add(principalPath(ctx.user.name));
    const found: DavResource[] = [];
    for (const m of await membersAnyDepth(ctx, r)) {
      if (await namesMe(ctx, m, req.match.name, paths)) found.push(m);
      if (found.length > MAX_PRINCIPAL_RESULTS) break;
    }
    return principalsAnswer(ctx, r, found, req.props);
  },
};
