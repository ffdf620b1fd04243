import type { XmlElement, XmlNode } from '../../xml/element.js';
import type { ClarkName } from '../../xml/names.js';
import { header, type DavContext, type DavResponse } from './context.js';
import type { DavResource } from './resource.js';
import type { Privilege } from '../acl/privileges.js';
import type { CollectionType } from '../../store/types.js';
import type { StoreTx } from '../../store/store.js';
import type { CollectionTypeDef } from './collection-types.js';
import type { ObjectTypeDef } from './object-types.js';
import { readXmlBody } from './request.js';

declare module './context.js' {
  interface DavContext {
    /**
     * This server's collection types, properties, reports and methods. Declared here rather
     * than in context.ts: the definitions take a DavContext, so this keeps the imports one-way.
     */
    readonly registry: Registry;
  }
}

/** The value of a property: the children of its element. `undefined` = not defined here (404). */
export type PropertyValue = readonly XmlNode[] | undefined;

/**
 * A live property, defined in one place: PROPFIND, PROPPATCH, extended MKCOL and
 * expand-property all read this registry.
 */
export interface PropertyDef {
  readonly name: ClarkName;
  /** Returned by `allprop` (RFC 4918 §9.1: only the RFC 4918 live properties are). */
  readonly allprop: boolean;
  appliesTo(r: DavResource): boolean;
  get(ctx: DavContext, r: DavResource): Promise<PropertyValue> | PropertyValue;
  /**
   * `get` of a stored object (not a collection) as its element's text ('' = no content),
   * undefined = not defined (404) — for a value made of text from the object's row alone. A
   * member listing then writes it without making elements (properties.ts `plainMemberWriter`;
   * properties.test.ts checks it writes what `get` does). `textProperty` makes both from one.
   */
  text?(r: DavResource): string | undefined;
  /**
   * Reads at once what `get` will need for a whole page of a listing (PROPFIND Depth 1,
   * sync-collection), keeping it for the request, so that members' values do not each wait for
   * a read of their own (issue #20: on PostgreSQL a round trip per member). Called once per page
   * before any of its members' `get`; `get` must answer the same without it.
   */
  forPage?(ctx: DavContext, members: readonly DavResource[]): Promise<void>;
  /**
   * Makes the property writable: check a new value (throwing a DavError to refuse it); the
   * value is then kept with the resource's other properties and `get` reads it back.
   * Without `validate` the property is protected (RFC 4918 §15).
   */
  validate?(ctx: DavContext, r: DavResource, value: XmlElement): Promise<void> | void;
  /**
   * Makes the property writable where its value is kept by its own module, not with the dead
   * properties (a proxy group's DAV:group-member-set): apply a value `validate` accepted (null =
   * removed), in the PROPPATCH's transaction, once every instruction passed its checks.
   */
  update?(ctx: DavContext, tx: StoreTx, r: DavResource, value: XmlElement | null): Promise<void>;
  /** Settable only when the collection is created (extended MKCOL, MKCALENDAR), protected after. */
  readonly initOnly?: boolean;
  /** Privilege needed to read it, when more than DAV:read (RFC 3744 §5). */
  readonly readPrivilege?: 'read-acl' | 'read-current-user-privilege-set';
  /**
   * Its value depends only on the resource's stored row, body and dead properties and on its
   * collection's, so a report answer holding it may be cached (dav/core/response-cache.ts).
   * Not so for anything that reads locks, other collections, quotas or the clock.
   */
  readonly cacheable?: boolean;
}

/**
 * A protected live property whose value is text from the resource's row: `get` and `text` from
 * one `value` (undefined = not defined, 404; '' = an empty element).
 */
export function textProperty(
  def: Omit<PropertyDef, 'get' | 'text' | 'validate' | 'update'> & { value(r: DavResource): string | undefined },
): PropertyDef {
  const { value, ...rest } = def;
  return {
    ...rest,
    get: (_ctx, r) => {
      const v = value(r);
      return v === undefined ? undefined : v === '' ? [] : [v];
    },
    text: value,
  };
}

export interface ReportDef<Req = unknown> {
  readonly name: ClarkName;
  appliesTo(r: DavResource): boolean;
  parse(root: XmlElement, ctx: DavContext): Req;
  run(ctx: DavContext, r: DavResource, request: Req): Promise<DavResponse>;
  /**
   * The privilege the report needs on its target; DAV:read when absent. RFC 4791 §7.10:
   * free-busy-query needs only CALDAV:read-free-busy.
   */
  readonly privilege?: Privilege;
  /**
   * Whether the answer to `request` on collection `r` depends on nothing but the request, the
   * user and the state of `r` (its members, their bodies and dead properties, its own), so it
   * may be served again while that state is unchanged (dav/core/response-cache.ts).
   */
  cacheable?(ctx: DavContext, r: DavResource, request: Req): boolean;
}

export interface MethodDef {
  readonly name: string;
  /**
   * The privilege the method needs on its request URI (RFC 3744 Appendix B), named in the
   * DAV:need-privileges answer when the URI lies in an area where the user holds none.
   */
  readonly privilege: Privilege;
  /** Whether the method is allowed on this resource (null = unmapped URL). */
  allowedOn(r: DavResource | null): boolean;
  /**
   * For one of several definitions of a name allowed on the same resources (POST on a calendar:
   * sharing's CS:share, WebDAV-Push's push-register): the XML body root elements it handles.
   */
  readonly bodyRoots?: readonly ClarkName[];
  handle(ctx: DavContext, r: DavResource | null): Promise<DavResponse>;
}

/**
 * The definition that takes a request among those allowed on its resource: by the root element
 * of its XML body when more than one is (the body is read once; handlers read it again for free).
 */
async function pickVariant(variants: readonly MethodDef[], ctx: DavContext, r: DavResource | null): Promise<MethodDef> {
  const allowed = variants.filter((v) => v.allowedOn(r));
  if (allowed.length <= 1) return allowed[0] ?? variants[0]!;
  const xml = /xml/i.test(header(ctx, 'content-type') ?? '');
  const root = xml ? (await readXmlBody(ctx).catch(() => null))?.name : undefined;
  return (
    allowed.find((v) => root !== undefined && v.bodyRoots?.includes(root)) ??
    allowed.find((v) => v.bodyRoots === undefined) ??
    allowed[0]!
  );
}

/**
 * The registries of one server: its collection types, properties, reports and methods.
 * Protocol modules add to them in their index.ts; dav/index.ts (createRegistry) lists those.
 * The composition root makes one per server and hands it to each request in its context.
 */
export class Registry {
  readonly collectionTypes = new Map<CollectionType, CollectionTypeDef>();
  readonly properties = new Map<ClarkName, PropertyDef>();
  readonly reports = new Map<ClarkName, ReportDef>();
  readonly methods = new Map<string, MethodDef>();
  /** Compliance classes for the DAV: header (RFC 4918 §10.1), in order. */
  readonly compliance: string[] = [];

  collectionType(def: CollectionTypeDef): void {
    if (this.collectionTypes.has(def.name)) throw new Error(`collection type ${def.name} registered twice`);
    this.collectionTypes.set(def.name, def);
  }

  /** The definition of a stored collection type; undefined for plain collections and unregistered ones. */
  collectionTypeOf(type: CollectionType | undefined): CollectionTypeDef | undefined {
    return type ? this.collectionTypes.get(type) : undefined;
  }

  /** What a collection of this type does with the bodies put into it; undefined = stored as sent. */
  objectTypeOf(type: CollectionType | undefined): ObjectTypeDef | undefined {
    return this.collectionTypeOf(type)?.objects;
  }

  /**
   * Which collection type a DAV:resourcetype names (RFC 5689 §3): the extra elements beside
   * DAV:collection must be exactly those of a registered type. Plain collections have none.
   */
  collectionTypeFor(elements: readonly ClarkName[]): CollectionType | null {
    const extra = new Set(elements.filter((e) => e !== '{DAV:}collection'));
    if (extra.size === 0) return '';
    for (const def of this.collectionTypes.values()) {
      if (def.resourceType.length === extra.size && def.resourceType.every((n) => extra.has(n))) return def.name;
    }
    return null;
  }

  property(def: PropertyDef): void {
    if (this.properties.has(def.name)) throw new Error(`property ${def.name} registered twice`);
    this.properties.set(def.name, def);
  }

  report<Req>(def: ReportDef<Req>): void {
    if (this.reports.has(def.name)) throw new Error(`report ${def.name} registered twice`);
    this.reports.set(def.name, def as ReportDef);
  }

  /**
   * Register a method. One name may have several definitions for disjoint resources (POST: the
   * scheduling outbox, RFC 6638 §5; push-register on collections, WebDAV-Push): the request runs
   * the first whose `allowedOn` takes the resource. The first one's privilege names the method.
   */
  method(def: MethodDef): void {
    const variants = this.variants.get(def.name) ?? [];
    if (variants.includes(def)) throw new Error(`method ${def.name} registered twice`);
    variants.push(def);
    this.variants.set(def.name, variants);
    const [first] = variants;
    if (!first) return;
    this.methods.set(
      def.name,
      variants.length === 1
        ? first
        : {
            name: def.name,
            privilege: first.privilege,
            allowedOn: (r) => variants.some((v) => v.allowedOn(r)),
            handle: async (ctx, r) => (await pickVariant(variants, ctx, r)).handle(ctx, r),
          },
    );
  }

  private readonly variants = new Map<string, MethodDef[]>();

  allowed(r: DavResource | null): string[] {
    return [...this.methods.values()].filter((m) => m.allowedOn(r)).map((m) => m.name);
  }

  reportsFor(r: DavResource): ReportDef[] {
    return [...this.reports.values()].filter((d) => d.appliesTo(r));
  }
}
