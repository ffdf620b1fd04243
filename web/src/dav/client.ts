import { DavHttpError, DavProtocolError, errorDetail } from './errors.js';
import { parseMultistatus, propHrefs, propText, type DavResponseEntry, type Multistatus } from './multistatus.js';
import { sharingOf, type CollectionSharing } from './invite.js';
import { doc, esc, NS, XMLNS } from './xml.js';

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export interface DavClientOptions {
  /** URL prefix that reaches the server: '' for Almanac itself, '/relay/ID' for another server. */
  readonly prefix: string;
  /** Extra headers on every request (the CSRF token). */
  readonly headers: () => Record<string, string>;
  /** Injectable for tests. */
  readonly fetch?: FetchLike;
}

export type CollectionKind = 'calendar' | 'addressbook';

export interface DavCollection {
  readonly href: string;
  readonly kind: CollectionKind;
  displayName: string;
  color?: string | undefined;
  /** VEVENT, VTODO…; empty = the server did not say (all allowed). */
  readonly components: string[];
  ctag?: string | undefined;
  syncToken?: string | undefined;
  readonly readOnly: boolean;
  /** CalendarServer sharing (caldav-sharing §5.2); absent on servers without it. */
  sharing?: CollectionSharing | undefined;
}

export interface DavObject {
  readonly href: string;
  readonly etag: string;
  readonly data: string;
}

export interface SyncResult {
  readonly token: string;
  readonly changed: { href: string; etag: string }[];
  readonly removed: string[];
  /** RFC 6578 §3.6: the server truncated the result (507 on the request-URI); sync again. */
  readonly truncated: boolean;
}

/** Path of an href (servers may send absolute URLs). */
/** What account discovery found (DavClient.discover). */
export interface Discovered {
  readonly principal: string;
  readonly calendarHomes: string[];
  readonly addressbookHomes: string[];
  /** The user's calendar addresses without `mailto:` (RFC 6638 §2.4.1). */
  readonly addresses: string[];
  readonly displayName: string;
  /** RFC 6638 §2.1 schedule-outbox-URL: where free-busy is asked (§5); undefined = no scheduling. */
  readonly outbox: string | undefined;
  /** RFC 6638 §2.2 schedule-inbox-URL: invitations the server did not process (§4). */
  readonly inbox: string | undefined;
  /** caldav-sharing §4.1.1 CS:notification-URL: sharing invitations; undefined = no sharing. */
  readonly notifications: string | undefined;
}

export function hrefPath(href: string): string {
  return /^[a-z]+:\/\//i.test(href) ? new URL(href).pathname : href;
}

/** Same resource? Hrefs differ in percent-encoding and trailing slashes between servers. */
export function sameHref(a: string, b: string): boolean {
  const norm = (h: string): string => {
    try {
      return decodeURIComponent(hrefPath(h)).replace(/\/$/, '');
    } catch {
      return hrefPath(h).replace(/\/$/, '');
    }
  };
  return norm(a) === norm(b);
}

/**
 * The web app's one DAV client: WebDAV (RFC 4918), CalDAV (RFC 4791), CardDAV (RFC 6352),
 * sync-collection (RFC 6578). It speaks to Almanac directly and to other servers through the
 * relay; hrefs stay the server's own, `prefix` only decides where the request goes.
 */
export class DavClient {
  private readonly doFetch: FetchLike;

  constructor(readonly options: DavClientOptions) {
    this.doFetch = options.fetch ?? ((u, i) => fetch(u, i));
  }

  url(href: string): string {
    return this.options.prefix + hrefPath(href);
  }

  async request(
    method: string,
    href: string,
    init: { headers?: Record<string, string>; body?: string } = {},
    ok: number[] = [],
  ): Promise<Response> {
    const url = this.url(href);
    const res = await this.doFetch(url, {
      method,
      headers: { ...this.options.headers(), ...init.headers },
      body: init.body,
      credentials: 'same-origin',
      cache: 'no-store',
    });
    if (!res.ok && !ok.includes(res.status)) {
      const body = await res.text().catch(() => '');
      throw new DavHttpError(res.status, method, url, errorDetail(body, res.headers.get('content-type')));
    }
    return res;
  }

  private async xml(
    method: string,
    href: string,
    body: string,
    headers: Record<string, string> = {},
  ): Promise<Multistatus> {
    const res = await this.request(method, href, {
      headers: { 'Content-Type': 'application/xml; charset=utf-8', ...headers },
      body: doc(body),
    });
    return parseMultistatus(await res.text());
  }

  propfind(href: string, depth: '0' | '1', props: string): Promise<Multistatus> {
    return this.xml('PROPFIND', href, `<D:propfind ${XMLNS}><D:prop>${props}</D:prop></D:propfind>`, { Depth: depth });
  }

  /**
   * RFC 5397 current-user-principal, then the calendar and address book homes (RFC 4791 §6.2.1,
   * RFC 6352 §7.1.1) and, for meetings, the user's calendar addresses and outbox (RFC 6638 §2.4.1,
   * §2.1; a server without scheduling answers 404 for them and the lists stay empty).
   */
  async discover(start: string): Promise<Discovered> {
    const p = await this.propfind(start, '0', '<D:current-user-principal/>');
    const principal = p.responses[0] ? propHrefs(p.responses[0], NS.DAV, 'current-user-principal')[0] : undefined;
    if (!principal)
      throw new DavProtocolError(
        'noPrincipal',
        'the server does not name a principal for this account (current-user-principal)',
      );
    const h = await this.propfind(
      principal,
      '0',
      '<C:calendar-home-set/><CR:addressbook-home-set/><C:calendar-user-address-set/><D:displayname/><C:schedule-outbox-URL/><C:schedule-inbox-URL/><CS:notification-URL/>',
    );
    const r = h.responses[0];
    return {
      principal,
      calendarHomes: r ? propHrefs(r, NS.CALDAV, 'calendar-home-set') : [],
      addressbookHomes: r ? propHrefs(r, NS.CARDDAV, 'addressbook-home-set') : [],
      addresses: r
        ? propHrefs(r, NS.CALDAV, 'calendar-user-address-set')
            .filter((a) => /^mailto:/i.test(a))
            .map((a) => a.replace(/^mailto:/i, ''))
        : [],
      displayName: (r && propText(r, NS.DAV, 'displayname')) || '',
      outbox: r ? propHrefs(r, NS.CALDAV, 'schedule-outbox-URL')[0] : undefined,
      inbox: r ? propHrefs(r, NS.CALDAV, 'schedule-inbox-URL')[0] : undefined,
      notifications: r ? propHrefs(r, NS.CALENDARSERVER, 'notification-URL')[0] : undefined,
    };
  }

  /**
   * RFC 6638 §5: the busy time of each address, by a VFREEBUSY request POSTed to the user's
   * outbox. Per recipient the CALDAV:request-status (2.0 = answered, 3.7 = unknown user, …) and
   * the reply's calendar data.
   */
  async freeBusy(outbox: string, request: string): Promise<Map<string, { status: string; data: string }>> {
    const res = await this.request('POST', outbox, {
      headers: { 'Content-Type': 'text/calendar; charset=utf-8' },
      body: request,
    });
    const d = new DOMParser().parseFromString(await res.text(), 'application/xml');
    const out = new Map<string, { status: string; data: string }>();
    for (const r of Array.from(d.getElementsByTagNameNS(NS.CALDAV, 'response'))) {
      const recipient = r.getElementsByTagNameNS(NS.CALDAV, 'recipient')[0];
      const href =
        recipient
          ?.getElementsByTagNameNS(NS.DAV, 'href')[0]
          ?.textContent?.trim()
          .replace(/^mailto:/i, '') ?? '';
      const status = r.getElementsByTagNameNS(NS.CALDAV, 'request-status')[0]?.textContent?.trim() ?? '';
      const data = r.getElementsByTagNameNS(NS.CALDAV, 'calendar-data')[0]?.textContent ?? '';
      if (href) out.set(href.toLowerCase(), { status, data });
    }
    return out;
  }

  /** The calendars and address books directly inside a home. */
  async listCollections(home: string): Promise<DavCollection[]> {
    const ms = await this.propfind(
      home,
      '1',
      '<D:resourcetype/><D:displayname/><ICAL:calendar-color/><C:supported-calendar-component-set/><CS:getctag/><D:sync-token/><D:current-user-privilege-set/><CS:allowed-sharing-modes/><CS:invite/>',
    );
    const out: DavCollection[] = [];
    for (const r of ms.responses) {
      if (sameHref(r.href, home)) continue;
      const type = r.props.get(`{${NS.DAV}}resourcetype`);
      const has = (ns: string, local: string): boolean =>
        !!type && Array.from(type.children).some((c) => c.namespaceURI === ns && c.localName === local);
      const kind: CollectionKind | null = has(NS.CALDAV, 'calendar')
        ? 'calendar'
        : has(NS.CARDDAV, 'addressbook')
          ? 'addressbook'
          : null;
      if (!kind) continue;
      const comps = r.props.get(`{${NS.CALDAV}}supported-calendar-component-set`);
      out.push({
        href: r.href.endsWith('/') ? r.href : `${r.href}/`,
        kind,
        displayName:
          propText(r, NS.DAV, 'displayname') || decodeURIComponent(r.href.replace(/\/$/, '').split('/').pop() ?? ''),
        color: normaliseColor(propText(r, NS.APPLE_ICAL, 'calendar-color')),
        components: comps
          ? Array.from(comps.children)
              .map((c) => c.getAttribute('name') ?? '')
              .filter(Boolean)
          : [],
        ctag: propText(r, NS.CALENDARSERVER, 'getctag'),
        syncToken: propText(r, NS.DAV, 'sync-token'),
        readOnly: readOnly(r),
        sharing: sharingOf(r, type),
      });
    }
    return out;
  }

  /** RFC 6578 §3.2 sync-collection; an empty token asks for everything. */
  async syncCollection(href: string, token: string | undefined): Promise<SyncResult> {
    const ms = await this.xml(
      'REPORT',
      href,
      `<D:sync-collection ${XMLNS}><D:sync-token>${esc(token ?? '')}</D:sync-token><D:sync-level>1</D:sync-level><D:prop><D:getetag/></D:prop></D:sync-collection>`,
    );
    const changed: { href: string; etag: string }[] = [];
    const removed: string[] = [];
    let truncated = false;
    for (const r of ms.responses) {
      if (sameHref(r.href, href)) {
        if (r.status === 507) truncated = true;
        continue;
      }
      if (r.status === 404) removed.push(r.href);
      else {
        const etag = propText(r, NS.DAV, 'getetag');
        if (etag !== undefined) changed.push({ href: r.href, etag });
      }
    }
    if (!ms.syncToken) throw new DavProtocolError('noSyncToken', 'the server sent no sync token');
    return { token: ms.syncToken, changed, removed, truncated };
  }

  /** Every member's etag by PROPFIND (for servers without sync-collection). */
  async listEtags(href: string): Promise<{ href: string; etag: string }[]> {
    const ms = await this.propfind(href, '1', '<D:getetag/><D:resourcetype/>');
    return ms.responses
      .filter((r) => !sameHref(r.href, href) && !r.props.get(`{${NS.DAV}}resourcetype`)?.children.length)
      .map((r) => ({ href: r.href, etag: propText(r, NS.DAV, 'getetag') ?? '' }));
  }

  /** calendar-multiget (RFC 4791 §7.9) / addressbook-multiget (RFC 6352 §8.7); GET each as a fallback. */
  async multiget(collection: string, kind: CollectionKind, hrefs: string[]): Promise<DavObject[]> {
    if (hrefs.length === 0) return [];
    const [ns, report, data] =
      kind === 'calendar'
        ? ['C', 'calendar-multiget', 'calendar-data']
        : ['CR', 'addressbook-multiget', 'address-data'];
    try {
      const ms = await this.xml(
        'REPORT',
        collection,
        `<${ns}:${report} ${XMLNS}><D:prop><D:getetag/><${ns}:${data}/></D:prop>${hrefs.map((h) => `<D:href>${esc(h)}</D:href>`).join('')}</${ns}:${report}>`,
        { Depth: '1' },
      );
      const nsUri = kind === 'calendar' ? NS.CALDAV : NS.CARDDAV;
      return ms.responses
        .filter((r) => r.status === 200)
        .map((r) => ({
          href: r.href,
          etag: propText(r, NS.DAV, 'getetag') ?? '',
          data: r.props.get(`{${nsUri}}${data}`)?.textContent ?? '',
        }))
        .filter((o) => o.data !== '');
    } catch (err) {
      if (!(err instanceof DavHttpError) || ![400, 403, 405, 415, 501].includes(err.status)) throw err;
      const out: DavObject[] = [];
      for (const h of hrefs) {
        const res = await this.request('GET', h, {}, [404]);
        if (res.status === 404) continue;
        out.push({ href: h, etag: res.headers.get('etag') ?? '', data: await res.text() });
      }
      return out;
    }
  }

  /** PUT with If-Match (update) or If-None-Match: * (create); returns the new ETag if the server gave one. */
  async put(href: string, data: string, contentType: string, etag: string | null): Promise<string | undefined> {
    const headers: Record<string, string> = { 'Content-Type': contentType };
    if (etag) headers['If-Match'] = etag;
    else headers['If-None-Match'] = '*';
    const res = await this.request('PUT', href, { headers, body: data });
    return res.headers.get('etag') ?? undefined;
  }

  /** GET one object; null when it is not there (404). */
  async get(href: string): Promise<{ etag: string; data: string } | null> {
    const res = await this.request('GET', href, {}, [404]);
    return res.status === 404 ? null : { etag: res.headers.get('etag') ?? '', data: await res.text() };
  }

  async delete(href: string, etag: string | null): Promise<void> {
    await this.request('DELETE', href, etag ? { headers: { 'If-Match': etag } } : {}, [404]);
  }

  /** MKCALENDAR (RFC 4791 §5.3.1), or extended MKCOL (RFC 5689) where MKCALENDAR is not known. */
  async makeCalendar(href: string, name: string, color: string, components: string[]): Promise<void> {
    const props =
      `<D:displayname>${esc(name)}</D:displayname><ICAL:calendar-color>${esc(color)}</ICAL:calendar-color>` +
      `<C:supported-calendar-component-set>${components.map((c) => `<C:comp name="${c}"/>`).join('')}</C:supported-calendar-component-set>`;
    try {
      await this.request('MKCALENDAR', href, {
        headers: { 'Content-Type': 'application/xml; charset=utf-8' },
        body: doc(`<C:mkcalendar ${XMLNS}><D:set><D:prop>${props}</D:prop></D:set></C:mkcalendar>`),
      });
    } catch (err) {
      if (!(err instanceof DavHttpError) || ![405, 501].includes(err.status)) throw err;
      await this.mkcol(href, '<D:collection/><C:calendar/>', props);
    }
  }

  /** Extended MKCOL of an address book (RFC 6352 §6.3.1, RFC 5689). */
  makeAddressBook(href: string, name: string): Promise<void> {
    return this.mkcol(href, '<D:collection/><CR:addressbook/>', `<D:displayname>${esc(name)}</D:displayname>`);
  }

  private async mkcol(href: string, resourcetype: string, props: string): Promise<void> {
    await this.request('MKCOL', href, {
      headers: { 'Content-Type': 'application/xml; charset=utf-8' },
      body: doc(
        `<D:mkcol ${XMLNS}><D:set><D:prop><D:resourcetype>${resourcetype}</D:resourcetype>${props}</D:prop></D:set></D:mkcol>`,
      ),
    });
  }

  /** PROPPATCH displayname / calendar-color (RFC 4918 §9.2). */
  async setCollectionProps(href: string, name?: string, color?: string): Promise<void> {
    const set =
      (name !== undefined ? `<D:displayname>${esc(name)}</D:displayname>` : '') +
      (color !== undefined ? `<ICAL:calendar-color>${esc(color)}</ICAL:calendar-color>` : '');
    const ms = await this.xml(
      'PROPPATCH',
      href,
      `<D:propertyupdate ${XMLNS}><D:set><D:prop>${set}</D:prop></D:set></D:propertyupdate>`,
    );
    const r = ms.responses[0];
    if (r && r.props.size === 0) throw new DavHttpError(403, 'PROPPATCH', href, 'the server refused the change');
  }
}

function readOnly(r: DavResponseEntry): boolean {
  const set = r.props.get(`{${NS.DAV}}current-user-privilege-set`);
  if (!set) return false;
  const names = Array.from(set.getElementsByTagNameNS(NS.DAV, 'privilege')).flatMap((p) =>
    Array.from(p.children).map((c) => c.localName),
  );
  return !names.some((n) => n === 'all' || n === 'write' || n === 'write-content' || n === 'bind');
}

/** Apple's calendar-color is #RRGGBB or #RRGGBBAA; the app uses #RRGGBB. */
export function normaliseColor(c: string | undefined): string | undefined {
  if (!c) return undefined;
  const m = /^#([0-9a-f]{6})([0-9a-f]{2})?$/i.exec(c.trim());
  return m ? `#${m[1]!.toLowerCase()}` : undefined;
}
