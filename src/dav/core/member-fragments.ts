/**
 * Serialised DAV:response elements of stored members, kept by everything they are made of.
 *
 * When a collection changes, the report answer cache (response-cache.ts) has to compute the
 * next answer afresh — but usually only one member changed. The DAV:response of every other
 * member is the same text as last time, so a report renders each member once per request shape
 * and reuses the text, without reading the member's body or building its propstats.
 *
 * A fragment's key holds the member's id, path (its href), etag (every body write), metaSeq
 * (its dead properties), the user, and the report's *shape*: the properties asked for and
 * whatever else the rendering reads (for calendars the floating time zone, which expansion and
 * the calendar-data transforms use). Nothing else goes into a member's DAV:response for the
 * cacheable properties (PropertyDef.cacheable, dead properties), so a key can never name
 * stale text on any node. Fragments are written with the multistatus root's fixed prefixes
 * (any other namespace is declared on the element that uses it), so they fit any multistatus.
 */
import { createHash } from 'node:crypto';
import type { Lru } from '../../formats/lru.js';
import type { Resource } from '../../store/types.js';
import { isElement, type XmlNode } from '../../xml/element.js';
import { dav } from '../../xml/names.js';
import { flattened, StreamingXmlWriter } from '../../xml/write.js';

export class MemberFragments {
  /** `lru`: the server's fragment cache (`Caches.fragments`, domain/caches.ts). */
  constructor(private readonly lru: Lru<string, string>) {}

  /** A short key for a report's shape (computed once per request). */
  static shapeKey(...parts: readonly string[]): string {
    return createHash('sha1').update(parts.join('\n')).digest('base64');
  }

  /** `href`: the href the response carries when it is not the member's own (multigets echo the one sent). */
  keyOf(userId: number, shape: string, m: Resource, href = ''): string {
    return `${userId}|${shape}|${m.id}|${m.etag}|${m.metaSeq}|${m.path}|${href}`;
  }

  /** The kept text for `key`, as a node a multistatus writes verbatim. */
  get(key: string): XmlNode | undefined {
    const text = this.lru.get(key);
    return text === undefined ? undefined : { raw: text };
  }

  /** Serialise `response` (unless written as text already), keep it under `key`, and return it as a node to write verbatim. */
  keep(key: string, response: XmlNode): XmlNode {
    const text = flattened(
      typeof response === 'object' && !isElement(response)
        ? response.raw
        : new StreamingXmlWriter(dav('multistatus')).write(response),
    );
    this.lru.set(key, text, 2 * (text.length + key.length) + 64);
    return { raw: text };
  }
}
