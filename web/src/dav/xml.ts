import { NS } from '../../../src/xml/names.js';

export { NS };

/** Escape text for an XML element or attribute. */
export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The XML declaration and the fixed prefixes used in every request body. */
export const XMLNS = `xmlns:D="${NS.DAV}" xmlns:C="${NS.CALDAV}" xmlns:CR="${NS.CARDDAV}" xmlns:CS="${NS.CALENDARSERVER}" xmlns:ICAL="${NS.APPLE_ICAL}"`;

export function doc(body: string): string {
  return `<?xml version="1.0" encoding="utf-8"?>\n${body}`;
}

/** Children of `el` with this namespace and local name (never by prefix). */
export function children(el: Element, ns: string, local: string): Element[] {
  return Array.from(el.children).filter((c) => c.namespaceURI === ns && c.localName === local);
}

export function child(el: Element, ns: string, local: string): Element | undefined {
  return children(el, ns, local)[0];
}

export function text(el: Element | undefined): string | undefined {
  return el?.textContent?.trim() ?? undefined;
}
