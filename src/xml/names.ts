/**
 * The one namespace table. Every element name in Almanac is a Clark name `{namespace}local`;
 * prefixes are fixed here and only used when writing XML. Namespaces are never stripped.
 */
export const NS = {
  DAV: 'DAV:',
  CALDAV: 'urn:ietf:params:xml:ns:caldav',
  CARDDAV: 'urn:ietf:params:xml:ns:carddav',
  CALENDARSERVER: 'http://calendarserver.org/ns/',
  APPLE_ICAL: 'http://apple.com/ns/ical/',
  ME: 'http://me.com/_namespace/',
  SYNCML: 'SYNCML:SYNCML1.2',
  /** WebDAV-Push (draft-bitfire-webdav-push § XML Element Namespace). */
  PUSH: 'https://bitfire.at/webdav-push',
  XML: 'http://www.w3.org/XML/1998/namespace',
} as const;

/** Fixed prefixes used when serialising. Unknown namespaces get generated prefixes. */
export const PREFIXES: ReadonlyMap<string, string> = new Map([
  [NS.DAV, 'D'],
  [NS.CALDAV, 'C'],
  [NS.CARDDAV, 'CR'],
  [NS.CALENDARSERVER, 'CS'],
  [NS.APPLE_ICAL, 'ICAL'],
  [NS.ME, 'ME'],
  [NS.PUSH, 'P'],
]);

/** A Clark name: `{namespace}local`; the empty namespace is `{}local`. */
export type ClarkName = string;

export function clark(namespace: string, local: string): ClarkName {
  return `{${namespace}}${local}`;
}

export function splitClark(name: ClarkName): { namespace: string; local: string } {
  if (!name.startsWith('{')) return { namespace: '', local: name };
  const end = name.indexOf('}');
  return { namespace: name.slice(1, end), local: name.slice(end + 1) };
}

export const dav = (local: string): ClarkName => clark(NS.DAV, local);
export const caldav = (local: string): ClarkName => clark(NS.CALDAV, local);
export const carddav = (local: string): ClarkName => clark(NS.CARDDAV, local);
export const cs = (local: string): ClarkName => clark(NS.CALENDARSERVER, local);
export const appleIcal = (local: string): ClarkName => clark(NS.APPLE_ICAL, local);
export const webdavPush = (local: string): ClarkName => clark(NS.PUSH, local);
