import { el, isElement, type XmlElement, type XmlNode } from '../../xml/element.js';
import type { ClarkName } from '../../xml/names.js';
import { privilegesOf } from '../acl/privileges.js';
import type { DavContext } from './context.js';
import { propstat } from './multistatus.js';
import type { Registry } from './registry.js';
import type { DavResource } from './resource.js';
import type { DeadProperty } from '../../store/types.js';

/** What a PROPFIND (or a report's DAV:prop) asks for (RFC 4918 §9.1). */
export type PropRequest =
  | { readonly kind: 'prop'; readonly names: readonly ClarkName[] }
  | { readonly kind: 'allprop'; readonly include: readonly ClarkName[] }
  | { readonly kind: 'propname' };

function raw(xml: string): XmlNode {
  return { raw: xml };
}

/**
 * Whether answering `request` for `r` can need its dead properties: not when every name asked
 * for is a live property that applies to `r` and is never kept with the dead ones (no
 * `validate`). That saves one query per member in the common PROPFIND / report case.
 */
function needsDeadProperties(
  registry: Registry,
  r: DavResource,
  request: PropRequest,
  computed: ComputedProps | undefined,
): boolean {
  if (!r.stored) return false;
  if (request.kind !== 'prop') return true;
  for (const name of request.names) {
    if (computed?.has(name)) continue;
    const def = registry.properties.get(name);
    if (!def || def.validate || !def.appliesTo(r)) return true;
  }
  return false;
}

/**
 * Whether the values `request` asks for can be cached with a report answer: a DAV:prop list
 * of dead properties (and unknown names, answered 404) and live ones marked `cacheable`.
 * Not allprop (it has DAV:lockdiscovery) nor propname.
 */
export function cacheableProps(registry: Registry, request: PropRequest): boolean {
  if (request.kind !== 'prop') return false;
  return request.names.every((name) => {
    const def = registry.properties.get(name);
    return def === undefined || def.validate !== undefined || def.cacheable === true;
  });
}

/**
 * Request-aware property values a report computes itself for one resource (RFC 4791 §9.6
 * calendar-data, RFC 6352 §10.4 address-data, as the request's element asks): by name, the
 * whole element, or null when the resource has no such value (404). They take the place of the
 * registry's plain definition in the normal assembly, so they land in the propstat their
 * status says, in the order they were asked for.
 */
export type ComputedProps = ReadonlyMap<ClarkName, () => Promise<XmlElement | null>>;

/**
 * A resource's dead properties; on a sharee's instance their own (caldav-sharing §5.5.3: per-user
 * properties) take the place of the shared collection's of the same name.
 */
async function deadPropertiesOf(ctx: DavContext, r: DavResource): Promise<DeadProperty[]> {
  const stored = await ctx.store.getProperties(r.stored!.id);
  if (!r.instance) return stored;
  const own = r.instance.share.properties;
  const names = new Set(own.map((p) => p.name));
  return [...own, ...stored.filter((p) => !names.has(p.name))];
}

/**
 * Property values for one resource, grouped into propstats by status. On a resource the user
 * may not read, every property asked for is 403 and nothing is looked up (RFC 3744 §7.1.1):
 * whichever way a caller reached it, no value, and not even which properties exist, leaks.
 */
export async function propstatsFor(
  ctx: DavContext,
  r: DavResource,
  request: PropRequest,
  computed?: ComputedProps,
): Promise<XmlElement[]> {
  const { registry } = ctx;
  const privileges = privilegesOf(ctx.user, r);
  if (!privileges.has('read')) return [forbiddenPropstat(request.kind === 'prop' ? request.names : [])];
  const dead = needsDeadProperties(ctx.registry, r, request, computed) ? await deadPropertiesOf(ctx, r) : [];
  const deadByName = new Map(dead.map((p) => [p.name, p.xml]));
  const found: XmlNode[] = [];
  const missing: XmlNode[] = [];
  const forbidden: XmlNode[] = [];

  if (request.kind === 'propname') {
    for (const def of registry.properties.values()) {
      if (def.appliesTo(r) && (await def.get(ctx, r)) !== undefined) found.push(el(def.name));
    }
    for (const p of dead) if (!registry.properties.has(p.name)) found.push(el(p.name));
    return [propstat(200, found)];
  }

  const names: ClarkName[] =
    request.kind === 'prop'
      ? [...request.names]
      : [
          ...[...registry.properties.values()].filter((d) => d.allprop && d.appliesTo(r)).map((d) => d.name),
          ...dead.filter((p) => !registry.properties.get(p.name)?.allprop).map((p) => p.name),
          ...request.include,
        ];
  const seen = new Set<ClarkName>();
  for (const name of names) {
    if (seen.has(name)) continue;
    seen.add(name);
    const compute = computed?.get(name);
    if (compute) {
      const value = await compute();
      if (value) found.push(value);
      else missing.push(el(name));
      continue;
    }
    const def = registry.properties.get(name);
    if (def && def.appliesTo(r)) {
      if (def.readPrivilege && !privileges.has(def.readPrivilege)) {
        forbidden.push(el(name));
        continue;
      }
      if (def.validate && deadByName.has(name)) {
        found.push(raw(deadByName.get(name) ?? ''));
        continue;
      }
      const value = await def.get(ctx, r);
      if (value === undefined) missing.push(el(name));
      else found.push(el(name, {}, ...value));
      continue;
    }
    const xml = deadByName.get(name);
    if (xml !== undefined) found.push(raw(xml));
    else missing.push(el(name));
  }
  const out = [propstat(200, found)];
  if (forbidden.length > 0) out.push(propstat(403, forbidden));
  if (missing.length > 0 && request.kind === 'prop') out.push(propstat(404, missing));
  return found.length === 0 && out.length > 1 ? out.slice(1) : out;
}

/** One propstat refusing every one of `names` (each once) with 403. */
export function forbiddenPropstat(names: readonly ClarkName[]): XmlElement {
  return propstat(
    403,
    [...new Set(names)].map((n) => el(n)),
  );
}

/** Parse the children of a DAV:prop element into property names. */
export function propNames(prop: XmlElement): ClarkName[] {
  return prop.children.filter(isElement).map((c) => c.name);
}
