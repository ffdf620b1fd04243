/** Shared by the RFC 4331 tests: read the two quota properties of a collection with PROPFIND. */
import { parseXml } from '../../../src/xml/parse.js';
import { elements, textOf, type XmlElement } from '../../../src/xml/element.js';
import { dav } from '../../../src/xml/names.js';
import type { davFetch } from '../../helpers/server.js';

type Fetch = ReturnType<typeof davFetch>;

export interface QuotaProps {
  readonly used: number | null;
  readonly available: number | null;
}

function valueIn(root: XmlElement, local: string): number | null {
  for (const propstat of elements(root).flatMap((r) => elements(r, dav('propstat')))) {
    const status = textOf(elements(propstat, dav('status'))[0] ?? propstat);
    if (!/ 200 /.test(status)) continue;
    for (const prop of elements(propstat, dav('prop'))) {
      const el = elements(prop, dav(local))[0];
      if (el) return Number(textOf(el));
    }
  }
  return null;
}

export async function quotaProps(fetch: Fetch, path: string): Promise<QuotaProps> {
  const res = await fetch(path, {
    method: 'PROPFIND',
    headers: { 'Content-Type': 'application/xml', Depth: '0' },
    body: '<?xml version="1.0"?><D:propfind xmlns:D="DAV:"><D:prop><D:quota-available-bytes/><D:quota-used-bytes/></D:prop></D:propfind>',
  });
  if (res.status !== 207) throw new Error(`PROPFIND ${path}: ${res.status}`);
  const root = parseXml(await res.text());
  return { used: valueIn(root, 'quota-used-bytes'), available: valueIn(root, 'quota-available-bytes') };
}
