/**
 * Serialised DAV:response elements of stored members, kept by everything they are made of.
 *
 * When a collection changes, the report answer cache (response-cache.ts) has to compute the
 * next answer afresh — but usually only one member changed. The DAV:response of every other
 * member is the same text as last time, so a report renders each member once per request shape
 * and reuses the text, without reading the member's body or building its propstats.
 *
 * A fragment is kept under the user, the report's *shape* (the properties asked for and whatever
 * else the rendering reads: for calendars the floating time zone, which expansion and the
 * calendar-data transforms use) and the member's id, beside the member's state it was written
 * from: its etag (every body write), metaSeq (its dead properties), path (its href) and the href
 * a multiget echoed. It serves only a member in that very state; a member written again
 * replaces its fragment when next rendered. Nothing else goes into a member's DAV:response for
 * the cacheable properties (PropertyDef.cacheable, dead properties), so a fragment can never
 * serve stale text on any node. (The state was part of the key: a key of about 200 characters,
 * hashed and compared by every lookup, was a twentieth of a multiget's time, issue #20; now the
 * key is the short part and the state is compared field by field.) Fragments are written with
 * the multistatus root's fixed prefixes (any other namespace is declared on the element that
 * uses it), so they fit any multistatus.
 */
import { createHash } from 'node:crypto';
import type { FragmentState, KeptFragment } from '../../domain/caches.js';
import type { Lru } from '../../formats/lru.js';
import type { Resource } from '../../store/types.js';
import { isElement, type XmlNode } from '../../xml/element.js';
import { dav } from '../../xml/names.js';
import { flattened, StreamingXmlWriter } from '../../xml/write.js';

/** Where a member's fragment is kept (`key`) and the member state it must have been written from. */
export interface FragmentKey extends FragmentState {
  readonly key: string;
}

function sameState(a: FragmentState, b: FragmentState): boolean {
  return a.etag === b.etag && a.metaSeq === b.metaSeq && a.path === b.path && a.href === b.href;
}

export class MemberFragments {
  /** `lru`: the server's fragment cache (`Caches.fragments`, domain/caches.ts). */
  constructor(private readonly lru: Lru<string, KeptFragment>) {}

  /** A short key for a report's shape (computed once per request). */
  static shapeKey(...parts: readonly string[]): string {
    return createHash('sha1').update(parts.join('\n')).digest('base64');
  }

  /** `href`: the href the response carries when it is not the member's own (multigets echo the one sent). */
  keyOf(userId: number, shape: string, m: Resource, href = ''): FragmentKey {
    return { key: `${userId}|${shape}|${m.id}`, etag: m.etag, metaSeq: m.metaSeq, path: m.path, href };
  }

  /** The kept text for `k`, as a node a multistatus writes verbatim. */
  get(k: FragmentKey): XmlNode | undefined {
    const kept = this.lru.get(k.key, (e) => sameState(e, k));
    return kept === undefined ? undefined : { raw: kept.text };
  }

  /** Serialise `response` (unless written as text already), keep it under `k`, and return it as a node to write verbatim. */
  keep(k: FragmentKey, response: XmlNode): XmlNode {
    const text = flattened(
      typeof response === 'object' && !isElement(response)
        ? response.raw
        : new StreamingXmlWriter(dav('multistatus')).write(response),
    );
    const kept: KeptFragment = { etag: k.etag, metaSeq: k.metaSeq, path: k.path, href: k.href, text };
    this.lru.set(k.key, kept, 2 * (text.length + k.key.length + k.etag.length + k.path.length + k.href.length) + 96);
    return { raw: text };
  }
}
