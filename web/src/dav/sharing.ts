/**
 * CalendarServer sharing as a client speaks it (caldav-sharing, /work/shared/specs/extensions):
 * who a collection is shared with (§5.2.2 CS:invite), sharing and unsharing (§5.3.2 CS:share
 * POST), the invitations in the notification collection (§4, §6.15 CS:invite-notification) and
 * the answer to one (§5.4.1 CS:invite-reply POST to the home), plus the principal search that
 * finds whom to share with (RFC 3744 §9.4 principal-property-search). Nothing here is Almanac's
 * own: it works against any server that speaks calendarserver sharing.
 */
import type { DavClient } from './client.js';
import { DavHttpError } from './errors.js';
import { parseMultistatus, propHrefs, propText } from './multistatus.js';
import { accessOf, parseInvite, statusOf, type InviteStatus, type ShareAccess, type Sharee } from './invite.js';
import { child, doc, esc, NS, text, XMLNS } from './xml.js';

export type { ShareAccess, Sharee } from './invite.js';

/** An invitation in the user's notification collection (§6.15). */
export interface ShareInvitation {
  readonly uid: string;
  /** The notification resource (deleted once answered). */
  readonly resource: string;
  readonly kind: 'calendar' | 'addressbook';
  readonly status: InviteStatus;
  readonly access: ShareAccess;
  /** The shared collection (CS:hosturl), answered in the reply. */
  readonly hostUrl: string;
  /** The sharer's name, else address. */
  readonly from: string;
  readonly summary: string;
}

/** A principal found by search: a user or a group. */
export interface FoundPrincipal {
  readonly href: string;
  readonly name: string;
  /** The address to share with: the first `mailto:`, else the principal href. */
  readonly address: string;
  readonly group: boolean;
}

const CS = NS.CALENDARSERVER;

export async function readSharees(client: DavClient, href: string): Promise<Sharee[]> {
  const ms = await client.propfind(href, '0', '<CS:invite/>');
  const r = ms.responses[0];
  return r ? parseInvite(r.props.get(`{${CS}}invite`)).sharees : [];
}

/** §5.3.2 CS:share: add or change (`set`) and remove sharees of the collection at `href`. */
export async function share(
  client: DavClient,
  href: string,
  change: { set?: { href: string; name?: string; access: ShareAccess }[]; remove?: string[]; summary?: string },
): Promise<void> {
  // §5.3.2: CS:summary is what the invitation calls the collection (its display name, as Apple and Nextcloud send).
  const summary = change.summary ? `<CS:summary>${esc(change.summary)}</CS:summary>` : '';
  const sets = (change.set ?? []).map(
    (s) =>
      `<CS:set><D:href>${esc(s.href)}</D:href>${s.name ? `<CS:common-name>${esc(s.name)}</CS:common-name>` : ''}${summary}<CS:${s.access}/></CS:set>`,
  );
  const removes = (change.remove ?? []).map((r) => `<CS:remove><D:href>${esc(r)}</D:href></CS:remove>`);
  await client.request('POST', href, {
    headers: { 'Content-Type': 'application/xml; charset=utf-8' },
    body: doc(`<CS:share ${XMLNS}>${sets.join('')}${removes.join('')}</CS:share>`),
  });
}

/**
 * RFC 3744 §9.4: principals whose name or addresses contain `query` (anyof, as Apple and
 * Evolution ask), over every principal collection the server has (§9.4
 * apply-to-principal-collection-set), sent to the user's own principal.
 */
export async function searchPrincipals(client: DavClient, principal: string, query: string): Promise<FoundPrincipal[]> {
  const match = (prop: string): string =>
    `<D:property-search><D:prop>${prop}</D:prop><D:match>${esc(query)}</D:match></D:property-search>`;
  const res = await client.request('REPORT', principal, {
    headers: { 'Content-Type': 'application/xml; charset=utf-8', Depth: '0' },
    body: doc(
      `<D:principal-property-search ${XMLNS} test="anyof">${match('<D:displayname/>')}${match('<C:calendar-user-address-set/>')}${match('<CS:email-address-set/>')}` +
        '<D:prop><D:displayname/><C:calendar-user-address-set/><C:calendar-user-type/><CS:email-address-set/></D:prop>' +
        '<D:apply-to-principal-collection-set/></D:principal-property-search>',
    ),
  });
  const ms = parseMultistatus(await res.text());
  return ms.responses
    .filter((r) => r.status === 200)
    .map((r) => {
      const mail =
        propHrefs(r, NS.CALDAV, 'calendar-user-address-set').find((a) => /^mailto:/i.test(a)) ??
        propHrefs(r, CS, 'email-address-set').map((a) => (/^mailto:/i.test(a) ? a : `mailto:${a}`))[0];
      const name =
        propText(r, NS.DAV, 'displayname') || decodeURIComponent(r.href.replace(/\/$/, '').split('/').pop() ?? '');
      return {
        href: r.href,
        name,
        address: mail ?? r.href,
        group: (propText(r, NS.CALDAV, 'calendar-user-type') ?? '').toUpperCase() === 'GROUP',
      };
    });
}

function parseNotification(resource: string, xml: string): ShareInvitation | null {
  const d = new DOMParser().parseFromString(xml, 'application/xml');
  const inv = d.getElementsByTagNameNS(CS, 'invite-notification')[0];
  if (!inv) return null;
  const uid = text(child(inv, CS, 'uid'));
  const host = child(inv, CS, 'hosturl');
  const hostUrl = host ? text(child(host, NS.DAV, 'href')) : undefined;
  if (!uid || !hostUrl) return null;
  return {
    uid,
    resource,
    kind: inv.getAttribute('shared-type') === 'addressbook' ? 'addressbook' : 'calendar',
    status: statusOf(inv),
    access: accessOf(inv),
    hostUrl,
    from: parseInvite(inv).organizer ?? '',
    summary: text(child(inv, CS, 'summary')) ?? '',
  };
}

/** §4: the invitations in the notification collection (Depth 1 listing, then each document). */
export async function readInvitations(client: DavClient, collection: string): Promise<ShareInvitation[]> {
  let ms: Awaited<ReturnType<DavClient['propfind']>>;
  try {
    ms = await client.propfind(collection, '1', '<CS:notificationtype/>');
  } catch (err) {
    // Servers may make the collection with the first notification (Almanac does): none yet.
    if (err instanceof DavHttpError && err.status === 404) return [];
    throw err;
  }
  const out: ShareInvitation[] = [];
  for (const r of ms.responses) {
    const type = r.props.get(`{${CS}}notificationtype`);
    if (!type || !child(type, CS, 'invite-notification')) continue;
    const doc = await client.get(r.href);
    const inv = doc ? parseNotification(r.href, doc.data) : null;
    if (inv) out.push(inv);
  }
  return out;
}

/**
 * §5.4.1: accept or decline by POST of CS:invite-reply to the home of that kind; an accepted
 * share answers CS:shared-as with the href of the new instance in the home.
 */
export async function answerInvitation(
  client: DavClient,
  home: string,
  me: string,
  inv: ShareInvitation,
  accept: boolean,
): Promise<string | undefined> {
  const res = await client.request('POST', home, {
    headers: { 'Content-Type': 'application/xml; charset=utf-8' },
    body: doc(
      `<CS:invite-reply ${XMLNS}><D:href>${esc(me)}</D:href><CS:invite-${accept ? 'accepted' : 'declined'}/>` +
        `<CS:hosturl><D:href>${esc(inv.hostUrl)}</D:href></CS:hosturl><CS:in-reply-to>${esc(inv.uid)}</CS:in-reply-to>` +
        (inv.summary ? `<CS:summary>${esc(inv.summary)}</CS:summary>` : '') +
        '</CS:invite-reply>',
    ),
  });
  const body = await res.text();
  if (!body) return undefined;
  const d = new DOMParser().parseFromString(body, 'application/xml');
  const as = d.getElementsByTagNameNS(CS, 'shared-as')[0];
  return as ? text(as.getElementsByTagNameNS(NS.DAV, 'href')[0]) : undefined;
}
