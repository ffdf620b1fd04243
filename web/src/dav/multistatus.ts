import { DavProtocolError } from './errors.js';
import { child, children, NS, text } from './xml.js';

/** One `DAV:response` of a multistatus (RFC 4918 §14.24), its 200 properties by Clark name. */
export interface DavResponseEntry {
  readonly href: string;
  /** Status of the response itself (sync-collection: 404 = removed), else of the 200 propstat. */
  readonly status: number;
  readonly props: Map<string, Element>;
}

export interface Multistatus {
  readonly responses: DavResponseEntry[];
  /** RFC 6578 §6.2: the new sync token. */
  readonly syncToken?: string | undefined;
}

function statusCode(el: Element | undefined): number | undefined {
  const m = /HTTP\/\d\.\d\s+(\d{3})/.exec(text(el) ?? '');
  return m ? Number(m[1]) : undefined;
}

export function clark(el: Element): string {
  return `{${el.namespaceURI ?? ''}}${el.localName}`;
}

export function parseMultistatus(xml: string): Multistatus {
  const d = new DOMParser().parseFromString(xml, 'application/xml');
  if (d.getElementsByTagName('parsererror').length > 0)
    throw new DavProtocolError('malformedXml', 'the server sent malformed XML');
  const root = d.documentElement;
  if (root.namespaceURI !== NS.DAV || root.localName !== 'multistatus')
    throw new DavProtocolError('notMultistatus', 'the server did not answer with a multistatus');
  const responses: DavResponseEntry[] = [];
  for (const r of children(root, NS.DAV, 'response')) {
    const href = text(child(r, NS.DAV, 'href'));
    if (!href) continue;
    const props = new Map<string, Element>();
    let status = statusCode(child(r, NS.DAV, 'status'));
    for (const ps of children(r, NS.DAV, 'propstat')) {
      const code = statusCode(child(ps, NS.DAV, 'status')) ?? 200;
      if (code !== 200) continue;
      status ??= 200;
      const prop = child(ps, NS.DAV, 'prop');
      if (prop) for (const p of Array.from(prop.children)) props.set(clark(p), p);
    }
    responses.push({ href, status: status ?? 200, props });
  }
  return { responses, syncToken: text(child(root, NS.DAV, 'sync-token')) };
}

/** Text of a property, if present. */
export function propText(r: DavResponseEntry, ns: string, local: string): string | undefined {
  const el = r.props.get(`{${ns}}${local}`);
  return el ? (el.textContent ?? '').trim() : undefined;
}

/** The hrefs inside a property (e.g. current-user-principal, calendar-home-set). */
export function propHrefs(r: DavResponseEntry, ns: string, local: string): string[] {
  const el = r.props.get(`{${ns}}${local}`);
  return el
    ? children(el, NS.DAV, 'href')
        .map((h) => (h.textContent ?? '').trim())
        .filter(Boolean)
    : [];
}
