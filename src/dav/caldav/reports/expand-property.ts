import { el, elements, isElement, textOf, type XmlElement, type XmlNode } from '../../../xml/element.js';
import { clark, dav, type ClarkName } from '../../../xml/names.js';
import type { DavContext } from '../../core/context.js';
import { multistatus, propstat, responseWithPropstats, responseWithStatus } from '../../core/multistatus.js';
import { hrefOf, storePathOfUri } from '../../core/paths.js';
import { forbiddenPropstat, propstatsFor } from '../../core/properties.js';
import { inForeignArea, privilegesOf } from '../../acl/privileges.js';
import type { ReportDef } from '../../core/registry.js';
import { resolve, type DavResource } from '../../core/resource.js';

/** One DAV:property of an expand-property request, with the properties to expand its hrefs into. */
export interface ExpandSpec {
  readonly name: ClarkName;
  readonly children: readonly ExpandSpec[];
}

/** Hrefs are followed at most this deep (a principal's group membership can loop). */
const MAX_DEPTH = 4;

function parseSpecs(parent: XmlElement): ExpandSpec[] {
  return elements(parent, dav('property')).map((p) => ({
    name: clark(p.attrs['{}namespace'] ?? 'DAV:', p.attrs['{}name'] ?? ''),
    children: parseSpecs(p),
  }));
}

function addToOk(propstats: XmlElement[], values: XmlElement[]): XmlElement[] {
  if (values.length === 0) return propstats;
  const ok = propstats.findIndex((ps) =>
    ps.children.some((c) => isElement(c) && c.name === dav('status') && / 200 /.test(textOf(c))),
  );
  if (ok < 0) return [propstat(200, values), ...propstats];
  return propstats.map((ps, i) => {
    if (i !== ok) return ps;
    const [prop, ...rest] = ps.children as XmlElement[];
    return prop
      ? { ...ps, children: [{ ...prop, children: [...prop.children, ...values] as XmlNode[] }, ...rest] }
      : ps;
  });
}

async function expandHref(
  ctx: DavContext,
  href: string,
  specs: readonly ExpandSpec[],
  depth: number,
): Promise<XmlElement> {
  let path: string | null;
  try {
    path = storePathOfUri(href);
  } catch {
    path = null;
  }
  // RFC 3744 §7.1.1: an href the user may not read is not followed. Its properties are 403,
  // decided before anything is looked up, so the answer is the same whether it exists or not.
  const forbidden = (): XmlElement => responseWithPropstats(href, [forbiddenPropstat(specs.map((s) => s.name))]);
  if (path !== null && inForeignArea(ctx.user, path)) return forbidden();
  const target = path === null ? null : await resolve(ctx.store, path);
  if (!target) return responseWithStatus(href, 404);
  if (!privilegesOf(ctx.user, target).has('read')) return forbidden();
  return expandResponse(ctx, target, specs, depth);
}

async function expandResponse(
  ctx: DavContext,
  r: DavResource,
  specs: readonly ExpandSpec[],
  depth: number,
): Promise<XmlElement> {
  const plain = specs.filter((s) => s.children.length === 0 || depth >= MAX_DEPTH).map((s) => s.name);
  const expanded: XmlElement[] = [];
  for (const spec of specs.filter((s) => s.children.length > 0 && depth < MAX_DEPTH)) {
    const def = ctx.registry.properties.get(spec.name);
    const value = def && def.appliesTo(r) ? await def.get(ctx, r) : undefined;
    if (value === undefined) {
      plain.push(spec.name);
      continue;
    }
    const nodes: XmlNode[] = [];
    for (const n of value) {
      nodes.push(
        isElement(n) && n.name === dav('href') ? await expandHref(ctx, textOf(n).trim(), spec.children, depth + 1) : n,
      );
    }
    expanded.push(el(spec.name, {}, ...nodes));
  }
  const propstats = plain.length > 0 ? await propstatsFor(ctx, r, { kind: 'prop', names: plain }) : [];
  return responseWithPropstats(hrefOf(r.path, r.isCollection), addToOk(propstats, expanded));
}

/**
 * RFC 3253 §3.8 expand-property: property values that are hrefs are replaced by the responses
 * of the resources they name (clients use it to read a principal's proxies or members at once).
 */
export const expandProperty: ReportDef<ExpandSpec[]> = {
  name: dav('expand-property'),
  appliesTo: () => true,
  parse: (root) => parseSpecs(root),
  async run(ctx, r, specs) {
    return multistatus([await expandResponse(ctx, r, specs, 0)]);
  },
};
