/** A report's view of the member fragment cache (member-fragments.ts): its user and shape fixed. */
import type { KeptFragment } from '../../domain/caches.js';
import type { Lru } from '../../formats/lru.js';
import type { Resource } from '../../store/types.js';
import type { XmlNode } from '../../xml/element.js';
import { MemberFragments } from './member-fragments.js';
import { cacheableProps, type PropRequest } from './properties.js';
import type { Registry } from './registry.js';

export class ReportFragments {
  constructor(
    private readonly cache: MemberFragments,
    private readonly userId: number,
    private readonly shape: string,
  ) {}

  lookup(m: Resource, href?: string): XmlNode | undefined {
    return this.cache.get(this.cache.keyOf(this.userId, this.shape, m, href));
  }

  keep(m: Resource, response: XmlNode, href?: string): XmlNode {
    return this.cache.keep(this.cache.keyOf(this.userId, this.shape, m, href), response);
  }
}

/**
 * The fragments a report may use: none when the cache is off or a property asked for reads
 * more than the member's own state (cacheableProps). `shape` names everything besides the
 * member that its DAV:response is made of.
 */
export function reportFragments(
  registry: Registry,
  lru: Lru<string, KeptFragment> | null,
  userId: number,
  props: PropRequest,
  shape: readonly string[],
): ReportFragments | null {
  if (!lru || !cacheableProps(registry, props)) return null;
  return new ReportFragments(
    new MemberFragments(lru),
    userId,
    MemberFragments.shapeKey(JSON.stringify(props), ...shape),
  );
}
