import { localUsers, userAddresses } from '../../../domain/scheduling/addresses.js';
import { busyPeriodsOf } from '../../../domain/scheduling/free-busy.js';
import { freeBusyReply, parseFreeBusyRequest, type FreeBusyRequest } from '../../../formats/ical/itip/index.js';
import { el, type XmlElement } from '../../../xml/element.js';
import { caldav, dav } from '../../../xml/names.js';
import type { DavContext, DavResponse } from '../../core/context.js';
import { DavError } from '../../core/errors.js';
import { xmlResponse } from '../../core/multistatus.js';
import type { MethodDef } from '../../core/registry.js';
import type { DavResource } from '../../core/resource.js';
import { requirePrivilege } from '../../acl/privileges.js';

/** Recipients answered in one busy-time request; the others get 5.3 (RFC 5546 §3.6). */
const MAX_FREEBUSY_RECIPIENTS = 50;

function recipientResponse(address: string, status: string, data?: string): XmlElement {
  return el(
    caldav('response'),
    {},
    el(caldav('recipient'), {}, el(dav('href'), {}, address)),
    el(caldav('request-status'), {}, status),
    data === undefined ? null : el(caldav('calendar-data'), {}, data),
  );
}

async function answers(ctx: DavContext, req: FreeBusyRequest): Promise<XmlElement[]> {
  const asked = req.attendees.slice(0, MAX_FREEBUSY_RECIPIENTS);
  const users = await localUsers(ctx.store, asked);
  const out: XmlElement[] = [];
  for (const address of asked) {
    const user = users.get(address);
    if (!user) {
      out.push(recipientResponse(address, '3.7;Invalid calendar user'));
      continue;
    }
    const periods = await busyPeriodsOf(ctx.store, user, req, ctx.settings.caches.objects);
    out.push(recipientResponse(address, '2.0;Success', freeBusyReply(req, address, periods, ctx.now)));
  }
  for (const address of req.attendees.slice(MAX_FREEBUSY_RECIPIENTS)) {
    out.push(recipientResponse(address, `5.3;No more than ${MAX_FREEBUSY_RECIPIENTS} recipients per request`));
  }
  return out;
}

/**
 * RFC 6638 §5: POST of a VFREEBUSY REQUEST to the user's own outbox (or, for a write proxy, the outbox of the user they act for) answers each recipient's
 * busy time in a CALDAV:schedule-response (Appendix B.5). Users of this server are answered from
 * their calendars; other addresses get 3.7 (no busy time is fetched from elsewhere).
 */
async function post(ctx: DavContext, r: DavResource | null): Promise<DavResponse> {
  if (!r?.stored) throw DavError.notFound();
  // RFC 6638 §6.2.4: the outbox's owner, or a write proxy acting for them (caldav-proxy §5.4).
  requirePrivilege(ctx.user, r, 'schedule-send-freebusy');
  const owner = (await ctx.store.getUserById(r.stored.ownerId)) ?? ctx.user;
  const body = (await ctx.readBody(ctx.settings.maxUploadBytes)).toString('utf8');
  const req = parseFreeBusyRequest(body);
  if ('invalid' in req) throw DavError.condition('caldav:valid-scheduling-message', req.invalid);
  if (!userAddresses(owner).has(req.organizer)) {
    throw DavError.condition('caldav:valid-organizer', `${req.organizer} is not an address of ${owner.name}`);
  }
  return xmlResponse(200, el(caldav('schedule-response'), {}, ...(await answers(ctx, req))));
}

export const postOutboxMethod: MethodDef = {
  name: 'POST',
  privilege: 'schedule-send-freebusy',
  allowedOn: (r) => r?.stored?.collectionType === 'schedule-outbox',
  handle: post,
};
