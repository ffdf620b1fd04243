import { el, isElement, type XmlElement, type XmlNode } from '../../xml/element.js';
import { escapeText, flattened } from '../../xml/write.js';
import type { ClarkName } from '../../xml/names.js';
import { privilegesOf } from '../acl/privileges.js';
import type { DavContext } from './context.js';
import { cellOf, cellsOf, HEAD_CELL, HREF_CELL, MISSING, NOT_HERE, type Cell } from './member-texts.js';
import {
  fixedTag,
  foundRestText,
  propstat,
  propText,
  propstatText,
  RESPONSE_END,
  responseHead,
  responseText,
  type PropGroup,
} from './multistatus.js';
import { hrefOf } from './paths.js';
import type { PropertyDef, PropertyValue, Registry } from './registry.js';
import type { DavResource } from './resource.js';
import type { DeadProperty } from '../../store/types.js';
import type { MaybePromise } from '../../domain/cooperative.js';

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
  computed?: ComputedProps,
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
export type ComputedProps = ReadonlyMap<ClarkName, () => MaybePromise<XmlElement | null>>;

/**
 * A resource's dead properties; on a sharee's instance their own (caldav-sharing §5.5.3: per-user
 * properties) take the place of the shared collection's of the same name. `stored`: those of the
 * stored resource when the caller read them already (a listing reads a page of members' at once).
 */
function deadPropertiesOf(
  ctx: DavContext,
  r: DavResource,
  stored?: readonly DeadProperty[],
): readonly DeadProperty[] | Promise<readonly DeadProperty[]> {
  if (stored === undefined) return ctx.store.getProperties(r.stored!.id).then((s) => deadPropertiesOf(ctx, r, s));
  if (!r.instance) return stored;
  const own = r.instance.share.properties;
  const names = new Set(own.map((p) => p.name));
  return [...own, ...stored.filter((p) => !names.has(p.name))];
}

export type { MaybePromise };

/** The property values of one resource being gathered, by status, in the order asked for. */
class Assembly {
  readonly found: XmlNode[] = [];
  readonly missing: XmlNode[] = [];
  readonly forbidden: XmlNode[] = [];
  private readonly seen = new Set<ClarkName>();

  constructor(
    private readonly ctx: DavContext,
    private readonly r: DavResource,
    private readonly privileges: ReadonlySet<string>,
    private readonly deadByName: ReadonlyMap<string, string>,
    private readonly computed: ComputedProps | undefined,
  ) {}

  /**
   * Gather `names` from index `from` on; stops at the first value that has to be waited for and
   * says where (the caller files it with `put` and goes on from the next name).
   */
  run(
    names: readonly ClarkName[],
    from: number,
  ): { at: number; pending: Promise<PropertyValue | XmlElement | null> } | null {
    const { registry } = this.ctx;
    for (let i = from; i < names.length; i++) {
      const name = names[i]!;
      if (this.seen.has(name)) continue;
      this.seen.add(name);
      const compute = this.computed?.get(name);
      if (compute) {
        const value = compute();
        if (value instanceof Promise) return { at: i, pending: value };
        this.put(name, value);
        continue;
      }
      const def = registry.properties.get(name);
      if (def && def.appliesTo(this.r)) {
        if (def.readPrivilege && !this.privileges.has(def.readPrivilege)) {
          this.forbidden.push(el(name));
          continue;
        }
        if (def.validate && this.deadByName.has(name)) {
          this.found.push(raw(this.deadByName.get(name) ?? ''));
          continue;
        }
        const value = def.get(this.ctx, this.r);
        if (value instanceof Promise) return { at: i, pending: value };
        this.put(name, value);
        continue;
      }
      const xml = this.deadByName.get(name);
      if (xml !== undefined) this.found.push(raw(xml));
      else this.missing.push(el(name));
    }
    return null;
  }

  /** File a value: a computed element (null = none), or a definition's children (undefined = none). */
  put(name: ClarkName, value: PropertyValue | XmlElement | null): void {
    if (value === undefined || value === null) this.missing.push(el(name));
    else if (Array.isArray(value)) this.found.push(el(name, {}, ...(value as readonly XmlNode[])));
    else this.found.push(value as XmlElement);
  }

  /** The groups in propstat order; an empty 200 only when nothing else is answered. */
  result(withMissing: boolean): PropGroup[] {
    const out: PropGroup[] = [{ status: 200, props: this.found }];
    if (this.forbidden.length > 0) out.push({ status: 403, props: this.forbidden });
    if (this.missing.length > 0 && withMissing) out.push({ status: 404, props: this.missing });
    return this.found.length === 0 && out.length > 1 ? out.slice(1) : out;
  }
}

async function assembleAsync(
  a: Assembly,
  names: readonly ClarkName[],
  first: { at: number; pending: Promise<PropertyValue | XmlElement | null> },
  withMissing: boolean,
): Promise<PropGroup[]> {
  for (let step: typeof first | null = first; step; step = a.run(names, step.at + 1)) {
    a.put(names[step.at]!, await step.pending);
  }
  return a.result(withMissing);
}

async function propnames(ctx: DavContext, r: DavResource, dead: readonly DeadProperty[]): Promise<PropGroup[]> {
  const found: XmlNode[] = [];
  for (const def of ctx.registry.properties.values()) {
    if (def.appliesTo(r) && (await def.get(ctx, r)) !== undefined) found.push(el(def.name));
  }
  for (const p of dead) if (!ctx.registry.properties.has(p.name)) found.push(el(p.name));
  return [{ status: 200, props: found }];
}

function assemble(
  ctx: DavContext,
  r: DavResource,
  request: PropRequest,
  privileges: ReadonlySet<string>,
  dead: readonly DeadProperty[],
  computed: ComputedProps | undefined,
): MaybePromise<PropGroup[]> {
  const { registry } = ctx;
  if (request.kind === 'propname') return propnames(ctx, r, dead);
  const names: readonly ClarkName[] =
    request.kind === 'prop'
      ? request.names
      : [
          ...[...registry.properties.values()].filter((d) => d.allprop && d.appliesTo(r)).map((d) => d.name),
          ...dead.filter((p) => !registry.properties.get(p.name)?.allprop).map((p) => p.name),
          ...request.include,
        ];
  const deadByName = new Map(dead.map((p) => [p.name, p.xml]));
  const a = new Assembly(ctx, r, privileges, deadByName, computed);
  const pending = a.run(names, 0);
  const withMissing = request.kind === 'prop';
  return pending ? assembleAsync(a, names, pending, withMissing) : a.result(withMissing);
}

/**
 * Property values for one resource, grouped by status (200, 403, 404). On a resource the user
 * may not read, every property asked for is 403 and nothing is looked up (RFC 3744 §7.1.1):
 * whichever way a caller reached it, no value, and not even which properties exist, leaks.
 *
 * Answered without a promise when nothing has to be waited for (the common member listing:
 * getetag, getcontenttype…), so a loop over a thousand members does not pay for a thousand
 * promises. `stored`: the resource's dead properties when the caller read them for a whole page
 * (deadPropertiesOfPage); otherwise they are read here when the request needs them.
 */
function propGroupsFor(
  ctx: DavContext,
  r: DavResource,
  request: PropRequest,
  computed?: ComputedProps,
  stored?: readonly DeadProperty[],
): MaybePromise<PropGroup[]> {
  const privileges = privilegesOf(ctx.user, r);
  if (!privileges.has('read')) return [forbiddenGroup(request.kind === 'prop' ? request.names : [])];
  const dead = needsDeadProperties(ctx.registry, r, request, computed) ? deadPropertiesOf(ctx, r, stored) : [];
  if (dead instanceof Promise) return dead.then((d) => assemble(ctx, r, request, privileges, d, computed));
  return assemble(ctx, r, request, privileges, dead, computed);
}

/** Property values for one resource as DAV:propstat elements (propGroupsFor). */
export async function propstatsFor(
  ctx: DavContext,
  r: DavResource,
  request: PropRequest,
  computed?: ComputedProps,
): Promise<XmlElement[]> {
  return (await propGroupsFor(ctx, r, request, computed)).map((g) => propstat(g.status, g.props));
}

/**
 * One DAV:response for `r` written as text (responseText), without a promise when none of its
 * values has to be waited for. `minimal`: the 404 propstat left out (RFC 7240 return=minimal).
 */
export function responseFor(
  ctx: DavContext,
  r: DavResource,
  href: string,
  request: PropRequest,
  options: {
    readonly computed?: ComputedProps;
    readonly stored?: readonly DeadProperty[];
    readonly minimal?: boolean;
  } = {},
): MaybePromise<XmlNode> {
  const groups = propGroupsFor(ctx, r, request, options.computed, options.stored);
  const text = (all: readonly PropGroup[]): XmlNode => {
    if (!options.minimal) return responseText(href, all);
    const ok = all.filter((g) => g.status !== 404);
    return responseText(href, ok.length > 0 ? ok : all.slice(0, 1));
  };
  return groups instanceof Promise ? groups.then(text) : text(groups);
}

/** One property of a plainMemberWriter: its definition, its cell in a row's kept texts and its element's tags. */
interface PlainProperty {
  readonly def: PropertyDef;
  readonly text: (r: DavResource) => string | undefined;
  readonly cell: number;
  readonly open: string;
  readonly close: string;
  readonly empty: string;
}

/** A plain property's element for `r`, as a row's kept cell. */
function plainCell(p: PlainProperty, r: DavResource): Cell {
  if (!p.def.appliesTo(r)) return NOT_HERE;
  const t = p.text(r);
  return t === undefined ? MISSING : t === '' ? p.empty : p.open + flattened(escapeText(t)) + p.close;
}

/**
 * The plain properties of a DAV:prop request in order, null standing for `computedName` (a
 * report's data, written by the caller); null when a name is not plain: every other name must
 * be a live property with a `text` form, in a fixed namespace, readable with DAV:read and never
 * kept with the dead ones.
 */
function plainProperties(
  registry: Registry,
  request: PropRequest,
  computedName?: ClarkName,
): (PlainProperty | null)[] | null {
  if (request.kind !== 'prop') return null;
  const props: (PlainProperty | null)[] = [];
  for (const name of new Set(request.names)) {
    if (name === computedName) {
      props.push(null);
      continue;
    }
    const def = registry.properties.get(name);
    const tag = fixedTag(name);
    if (!def?.text || def.validate || def.readPrivilege || tag === null) return null;
    props.push({ def, text: def.text, cell: cellOf(def), open: `<${tag}>`, close: `</${tag}>`, empty: `<${tag}/>` });
  }
  return props;
}

/**
 * The kept cells of `r`'s row with every plain property of `props` filled, or null when `r` is
 * not written plainly: not a stored object, the user may not read it, a property does not apply.
 */
function plainCells(
  ctx: DavContext,
  r: DavResource,
  props: readonly (PlainProperty | null)[],
): (Cell | undefined)[] | null {
  const row = r.stored;
  if (!row || r.isCollection || r.instance) return null;
  if (!privilegesOf(ctx.user, r).has('read')) return null;
  const cells = cellsOf(row);
  for (const p of props) if (p && (cells[p.cell] ??= plainCell(p, r)) === NOT_HERE) return null;
  return cells;
}

/** The href of `row`'s own path, kept with its cells. */
function ownHref(row: { readonly path: string }, cells: (Cell | undefined)[]): string {
  return (cells[HREF_CELL] ??= hrefOf(row.path, false)) as string;
}

/** The start of `row`'s own response (its own href), kept with its cells. */
function ownHead(row: { readonly path: string }, cells: (Cell | undefined)[]): string {
  return (cells[HEAD_CELL] ??= flattened(responseHead(ownHref(row, cells)))) as string;
}

/** The response of `head` with `props` from `cells`, the computed one written as `computed` (null: none). */
function plainResponse(
  head: string,
  props: readonly (PlainProperty | null)[],
  cells: readonly (Cell | undefined)[],
  minimal: boolean,
  computed?: { readonly empty: string; readonly value: XmlElement | null },
): XmlNode {
  let found = '';
  let missing = '';
  for (const p of props) {
    const c = p ? cells[p.cell] : computed?.value ? propText(computed.value) : MISSING;
    if (c === MISSING) missing += p ? p.empty : (computed?.empty ?? '');
    else found += c;
  }
  // Assembly.result and responseFor's return=minimal, on text.
  if (missing === '') return { raw: head + foundRestText(found) };
  if (found === '' || minimal)
    return { raw: head + propstatText(found === '' ? 404 : 200, found || missing) + RESPONSE_END };
  return { raw: head + propstatText(200, found) + propstatText(404, missing) + RESPONSE_END };
}

/**
 * A member's DAV:response written straight from its row, for the common listing (PROPFIND
 * Depth 1, sync-collection): a DAV:prop request every name of which is a plain property
 * (plainProperties: getetag, getcontenttype, getcontentlength, getlastmodified, creationdate,
 * resourcetype). It makes no element, group or assembly per member — the same bytes as
 * `responseFor` (properties.test.ts compares them) — and each property's element and the
 * response's start are written once per row and kept with it (member-texts.ts). Null when the
 * request is not of that kind. The writer answers null for a member it does not write (a
 * collection, one the user may not read, one a property does not apply to, whose dead properties
 * may then hold it): the caller uses `responseFor` for that one.
 */
export function plainMemberWriter(
  ctx: DavContext,
  request: PropRequest,
  minimal: boolean,
): ((r: DavResource) => XmlNode | null) | null {
  const props = plainProperties(ctx.registry, request);
  if (!props) return null;
  return (r) => {
    const cells = plainCells(ctx, r, props);
    if (!cells) return null;
    // A sharee's instance lists the row under its own path.
    const head = r.path === r.stored?.path ? ownHead(r.stored, cells) : responseHead(hrefOf(r.path, false));
    return plainResponse(head, props, cells, minimal);
  };
}

/**
 * `plainMemberWriter` for an object report (calendar-query, multigets): the request's names
 * may include the report's data (`dataName`: calendar-data, address-data), whose element the
 * writer is handed (`data`, asked only once the member is known to be written: null = none,
 * 404). The response carries `href` (a multiget echoes the one sent). The same bytes as
 * `responseFor` with the data as a computed property (properties.test.ts).
 */
export function plainObjectWriter(
  registry: Registry,
  request: PropRequest,
  dataName: ClarkName | null,
):
  | ((
      ctx: DavContext,
      r: DavResource,
      href: string,
      data: () => MaybePromise<XmlElement | null>,
    ) => MaybePromise<XmlNode> | null)
  | null {
  const props = plainProperties(registry, request, dataName ?? undefined);
  const dataTag = dataName === null ? null : fixedTag(dataName);
  if (!props || (dataName !== null && dataTag === null)) return null;
  const empty = dataTag === null ? '' : `<${dataTag}/>`;
  const withData = props.includes(null);
  return (ctx, r, href, data) => {
    const cells = plainCells(ctx, r, props);
    if (!cells || !r.stored) return null;
    const head = href === ownHref(r.stored, cells) ? ownHead(r.stored, cells) : responseHead(href);
    const value = withData ? data() : null;
    const write = (v: XmlElement | null): XmlNode => plainResponse(head, props, cells, false, { empty, value: v });
    return value instanceof Promise ? value.then(write) : write(value);
  };
}

/**
 * What the properties `request` names read for a whole page at once (PropertyDef.forPage),
 * read together.
 */
export async function preparePage(
  ctx: DavContext,
  members: readonly DavResource[],
  request: PropRequest,
): Promise<void> {
  if (members.length < 2 || request.kind === 'propname') return;
  const defs = new Set<PropertyDef>();
  const { properties } = ctx.registry;
  if (request.kind === 'allprop') {
    for (const d of properties.values()) if (d.allprop) defs.add(d);
  }
  for (const name of request.kind === 'prop' ? request.names : request.include) {
    const d = properties.get(name);
    if (d) defs.add(d);
  }
  await Promise.all([...defs].flatMap((d) => (d.forPage ? [d.forPage(ctx, members)] : [])));
}

/**
 * The dead properties of a page of stored members in one query, when `request` can need them
 * for any (needsDeadProperties); null when it cannot. A member without any maps to none.
 */
export async function deadPropertiesOfPage(
  ctx: DavContext,
  members: readonly DavResource[],
  request: PropRequest,
): Promise<ReadonlyMap<number, readonly DeadProperty[]> | null> {
  const ids = members.filter((m) => needsDeadProperties(ctx.registry, m, request)).map((m) => m.stored!.id);
  return ids.length === 0 ? null : ctx.store.getPropertiesOf(ids);
}

function forbiddenGroup(names: readonly ClarkName[]): PropGroup {
  return { status: 403, props: [...new Set(names)].map((n) => el(n)) };
}

/** One propstat refusing every one of `names` (each once) with 403. */
export function forbiddenPropstat(names: readonly ClarkName[]): XmlElement {
  const g = forbiddenGroup(names);
  return propstat(g.status, g.props);
}

/** Parse the children of a DAV:prop element into property names. */
export function propNames(prop: XmlElement): ClarkName[] {
  return prop.children.filter(isElement).map((c) => c.name);
}
