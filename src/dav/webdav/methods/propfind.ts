import { firstChild, isElement, type XmlElement, type XmlNode } from '../../../xml/element.js';
import { dav } from '../../../xml/names.js';
import type { DavContext, DavResponse } from '../../core/context.js';
import { header } from '../../core/context.js';
import { DavError } from '../../core/errors.js';
import { multistatus } from '../../core/multistatus.js';
import { propNames, type PropRequest } from '../../core/properties.js';
import { responsesOf } from '../../core/member-responses.js';
import type { MethodDef } from '../../core/registry.js';
import { depthOf, readXmlBody } from '../../core/request.js';
import {
  instancesIn,
  isHomeContainer,
  resolve,
  storedResource,
  virtualChildren,
  type DavResource,
} from '../../core/resource.js';
import { privilegesOf, requirePrivilege } from '../../acl/privileges.js';
import { listedPagesOf, mustExist } from '../../core/members.js';
import { principalMembers } from '../../acl/principal-directory.js';
import { baseName } from '../../../store/paths.js';

/** Parse a DAV:propfind body (RFC 4918 §14.20); an empty body means allprop. */
export function parsePropfind(root: XmlElement | null): PropRequest {
  if (!root) return { kind: 'allprop', include: [] };
  if (root.name !== dav('propfind')) throw DavError.badRequest('PROPFIND body must be a DAV:propfind element');
  const children = root.children.filter(isElement);
  const prop = firstChild(root, dav('prop'));
  if (prop) return { kind: 'prop', names: propNames(prop) };
  if (firstChild(root, dav('propname'))) return { kind: 'propname' };
  if (firstChild(root, dav('allprop'))) {
    const include = firstChild(root, dav('include'));
    return { kind: 'allprop', include: include ? propNames(include) : [] };
  }
  if (children.length === 0) return { kind: 'allprop', include: [] };
  throw DavError.badRequest('PROPFIND body must contain prop, propname or allprop');
}

/** Members of a virtual container that the user may see. */
async function virtualMembersOf(ctx: DavContext, r: DavResource): Promise<DavResource[]> {
  const out: DavResource[] = [];
  for (const p of virtualChildren(r.path)) {
    const v = await resolve(ctx.store, p);
    if (v) out.push(v);
  }
  const principals = await principalMembers(ctx.store, r);
  if (principals) out.push(...principals);
  else if (isHomeContainer(r.path)) {
    const home = await resolve(ctx.store, `${r.path}/${ctx.user.name}`);
    if (home) out.push(home);
  }
  return out.filter((m) => privilegesOf(ctx.user, m).has('read'));
}

/**
 * The members of a collection, a page at a time: a stored one read page by page (a sharee's
 * instance lists them under its own path), a virtual one as listed.
 */
async function* memberPagesOf(ctx: DavContext, r: DavResource): AsyncGenerator<readonly DavResource[]> {
  if (!r.stored) {
    yield await virtualMembersOf(ctx, r);
    return;
  }
  const base = r.instance ? `${r.path}/` : null;
  for await (const page of listedPagesOf(ctx.settings.caches.listings, ctx.store, r.stored)) {
    // Members of a sharee's instance are listed under it (a home at Depth infinity lists its instances' members).
    yield page.map((m) =>
      base === null ? storedResource(m) : { ...storedResource(m), path: base + baseName(m.path) },
    );
  }
  if (!r.instance) yield await instancesIn(ctx.store, r); // a home lists the sharee's instances too
}

/** The resource and, at Depth 1, its members, a page at a time. */
async function* targetPagesOf(ctx: DavContext, r: DavResource, depth: string): AsyncGenerator<readonly DavResource[]> {
  yield [r];
  if (depth === '1' && r.isCollection) yield* memberPagesOf(ctx, r);
}

/**
 * Depth: infinity is answered on a tree of at most this many resources below the target (a
 * calendar home of calendars and their events, the way Apple's and older clients ask), listed
 * before anything is sent; a larger tree is refused with DAV:propfind-finite-depth, as RFC 4918
 * §9.1 allows.
 */
export const INFINITY_MEMBERS = 1000;

/** Every resource below `r`, breadth first; null when there are more than INFINITY_MEMBERS. */
async function wholeTree(ctx: DavContext, r: DavResource): Promise<DavResource[] | null> {
  const out: DavResource[] = [];
  for (let i = -1; i < out.length; i++) {
    const c = i < 0 ? r : (out[i] as DavResource);
    if (!c.isCollection) continue;
    for await (const page of memberPagesOf(ctx, c)) {
      out.push(...page);
      if (out.length > INFINITY_MEMBERS) return null;
    }
  }
  return out;
}

/**
 * RFC 4918 §9.1. Depth infinity is answered on a bounded tree (wholeTree), refused otherwise
 * (DAV:propfind-finite-depth); no Depth header means 1.
 * Everything that can refuse the request is checked first; the responses are then produced
 * member by member while the answer is sent (memory stays flat for any collection size).
 */
async function propfind(ctx: DavContext, found: DavResource | null): Promise<DavResponse> {
  const r = mustExist(found);
  requirePrivilege(ctx.user, r, 'read');
  const depth = depthOf(ctx, '1');
  const tree = depth === 'infinity' ? await wholeTree(ctx, r) : null;
  if (depth === 'infinity' && !tree) {
    throw DavError.condition(
      'propfind-finite-depth',
      `PROPFIND with Depth: infinity is answered on at most ${INFINITY_MEMBERS} resources; ask with Depth: 1`,
    );
  }
  const request = parsePropfind(await readXmlBody(ctx));
  const minimal =
    /return=minimal/i.test(header(ctx, 'prefer') ?? '') || header(ctx, 'brief')?.trim().toLowerCase() === 't';
  async function* responses(): AsyncGenerator<readonly XmlNode[]> {
    for await (const page of tree ? [[r, ...tree]] : targetPagesOf(ctx, r, depth)) {
      yield* responsesOf(ctx, page, request, minimal);
    }
  }
  const res = multistatus(responses());
  return minimal ? { ...res, headers: { ...res.headers, 'Preference-Applied': 'return=minimal' } } : res;
}

export const propfindMethod: MethodDef = {
  name: 'PROPFIND',
  privilege: 'read',
  allowedOn: (r) => r !== null,
  handle: propfind,
};
