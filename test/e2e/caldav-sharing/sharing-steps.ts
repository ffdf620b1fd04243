/**
 * Requests the sharing tests send, shaped as macOS/iOS Calendar sends them (caldav-sharing
 * §5.3.2.1, §5.4.1): share by POST to the calendar, read the invitation from the notification
 * collection, answer it by POST to the calendar home.
 */
import assert from 'node:assert/strict';
import { davFetch } from '../../helpers/server.js';

export const XML = { 'Content-Type': 'application/xml; charset=utf-8' };

/** §5.3.2.1: the sharer's CS:share POST, as Apple Calendar sends it. */
export function shareBody(href: string, access: 'read' | 'read-write', summary = 'Shared workspace'): string {
  return (
    '<?xml version="1.0" encoding="utf-8" ?>\n<CS:share xmlns:D="DAV:" xmlns:CS="http://calendarserver.org/ns/">\n' +
    `  <CS:set>\n    <D:href>${href}</D:href>\n    <CS:summary>${summary}</CS:summary>\n    <CS:${access} />\n  </CS:set>\n</CS:share>`
  );
}

export function unshareBody(href: string): string {
  return (
    '<?xml version="1.0" encoding="utf-8" ?>\n<CS:share xmlns:D="DAV:" xmlns:CS="http://calendarserver.org/ns/">\n' +
    `  <CS:remove>\n    <D:href>${href}</D:href>\n  </CS:remove>\n</CS:share>`
  );
}

/** §5.4.1: the sharee's CS:invite-reply POST to their calendar home. */
function replyBody(sharee: string, hosturl: string, uid: string, accept: boolean): string {
  return (
    '<?xml version="1.0" encoding="utf-8" ?>\n<CS:invite-reply xmlns:D="DAV:" xmlns:CS="http://calendarserver.org/ns/">\n' +
    `  <D:href>${sharee}</D:href>\n  <CS:invite-${accept ? 'accepted' : 'declined'} />\n` +
    `  <CS:hosturl><D:href>${hosturl}</D:href></CS:hosturl>\n  <CS:in-reply-to>${uid}</CS:in-reply-to>\n` +
    '  <CS:summary>Shared workspace</CS:summary>\n</CS:invite-reply>'
  );
}

export async function propfind(url: string, user: string, path: string, props: string, depth = '0'): Promise<string> {
  const res = await davFetch(url, user)(path, {
    method: 'PROPFIND',
    headers: { ...XML, Depth: depth },
    body: `<?xml version="1.0"?><D:propfind xmlns:D="DAV:" xmlns:CS="http://calendarserver.org/ns/" xmlns:C="urn:ietf:params:xml:ns:caldav" xmlns:CR="urn:ietf:params:xml:ns:carddav" xmlns:ICAL="http://apple.com/ns/ical/"><D:prop>${props}</D:prop></D:propfind>`,
  });
  assert.equal(res.status, 207, `PROPFIND ${path} as ${user}`);
  return res.text();
}

export async function post(url: string, user: string, path: string, body: string): Promise<Response> {
  return davFetch(url, user)(path, { method: 'POST', headers: XML, body });
}

/** The uids of the invitations in a user's notification collection (as the client reads them: Depth 1, then GET). */
export async function invitations(url: string, user: string): Promise<{ uid: string; xml: string }[]> {
  const listing = await propfind(url, user, `/dav/calendars/${user}/notification/`, '<CS:notificationtype/>', '1');
  const hrefs = [...listing.matchAll(/<D:href>([^<]+\.xml)<\/D:href>/g)].map((m) => m[1]!);
  const out: { uid: string; xml: string }[] = [];
  for (const href of hrefs) {
    const xml = await (await davFetch(url, user)(href)).text();
    const uid = /<CS:uid>([^<]+)<\/CS:uid>/.exec(xml)?.[1];
    if (uid) out.push({ uid, xml });
  }
  return out;
}

/** The owner's calendar `path`, made by MKCALENDAR and named (and coloured) by PROPPATCH. */
export async function makeCalendar(url: string, owner: string, path: string, name: string, color = ''): Promise<void> {
  const dav = davFetch(url, owner);
  assert.equal((await dav(path, { method: 'MKCALENDAR' })).status, 201);
  const colour = color === '' ? '' : `<I:calendar-color>${color}</I:calendar-color>`;
  const res = await dav(path, {
    method: 'PROPPATCH',
    headers: XML,
    body: `<D:propertyupdate xmlns:D="DAV:" xmlns:I="http://apple.com/ns/ical/"><D:set><D:prop><D:displayname>${name}</D:displayname>${colour}</D:prop></D:set></D:propertyupdate>`,
  });
  assert.equal(res.status, 207);
}

/** `user` answers the invitation `uid` to `hosturl` by POST to their calendar home (§5.4.1). */
export function answer(url: string, user: string, hosturl: string, uid: string, accept: boolean): Promise<Response> {
  return post(url, user, `/dav/calendars/${user}/`, replyBody(`mailto:${user}@example.com`, hosturl, uid, accept));
}

/** Share `path` of `owner` with `sharee` and have the sharee accept; the instance's href. */
export async function shareAndAccept(
  url: string,
  owner: string,
  path: string,
  sharee: string,
  access: 'read' | 'read-write',
): Promise<string> {
  assert.equal((await post(url, owner, path, shareBody(`mailto:${sharee}@example.com`, access))).status, 200);
  // A share removed before leaves its invite-deleted notification beside the new invitation.
  const invite = (await invitations(url, sharee)).find(
    (i) => i.xml.includes(`<D:href>${path}</D:href>`) && !i.xml.includes('invite-deleted'),
  );
  assert.ok(invite, `${sharee} has an invitation to ${path}`);
  const res = await post(
    url,
    sharee,
    `/dav/${path.split('/')[2]}/${sharee}/`,
    replyBody(`mailto:${sharee}@example.com`, path, invite.uid, true),
  );
  assert.equal(res.status, 200);
  const href = /<CS:shared-as[^>]*><D:href>([^<]+)<\/D:href>/.exec(await res.text())?.[1];
  assert.ok(href, 'CS:shared-as names the instance');
  return href;
}
