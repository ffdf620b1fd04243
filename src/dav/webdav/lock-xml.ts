import { el, type XmlElement } from '../../xml/element.js';
import { dav } from '../../xml/names.js';
import type { Lock } from '../../store/types.js';
import { hrefOf } from '../core/paths.js';

/** DAV:activelock for a lock (RFC 4918 §14.1). */
export function activeLockXml(l: Lock, now: number): XmlElement {
  const remaining = Math.max(0, Math.ceil((l.expiresAt - now) / 1000));
  return el(
    dav('activelock'),
    {},
    el(dav('locktype'), {}, el(dav('write'))),
    el(dav('lockscope'), {}, el(dav(l.scope))),
    el(dav('depth'), {}, l.depth === 'infinity' ? 'infinity' : '0'),
    l.ownerXml ? { raw: l.ownerXml } : null,
    el(dav('timeout'), {}, `Second-${remaining}`),
    el(dav('locktoken'), {}, el(dav('href'), {}, l.token)),
    el(dav('lockroot'), {}, el(dav('href'), {}, hrefOf(l.path, false))),
  );
}
