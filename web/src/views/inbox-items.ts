/**
 * What the scheduling inbox holds for the user to act on (RFC 6638 §4), read from its messages
 * and the account's calendars: invitations not yet in a calendar, and counter-proposals for
 * events the user organizes (RFC 5546 §3.2.7). The panel is views/invitations.ts.
 */
import { readInvitation, readProposal, type Invitation, type Proposal } from '../../../src/formats/ical/invitation.js';
import { parseItip } from '../../../src/formats/ical/itip/scheduling-object.js';
import { organizerOf } from '../../../src/formats/ical/participants.js';
import type { DavObject } from '../dav/client.js';
import type { AppState, Collection, Source, StoredObject } from '../state.js';

export interface Waiting {
  readonly invitation: Invitation;
  /** The request to answer: the newest the organizer sent (highest SEQUENCE). */
  readonly message: DavObject;
  /** Every inbox message of this UID (answered together). */
  readonly hrefs: string[];
}

export interface Proposed {
  readonly proposal: Proposal;
  readonly message: DavObject;
  /** The organizer's event it is about. */
  readonly collection: Collection;
  readonly event: StoredObject;
  readonly summary: string;
}

/** Inbox text as iCalendar wants it: calendar-data came through XML, which turns CRLF into LF (XML 1.0 §2.11). */
export const crlf = (text: string): string => text.replace(/\r?\n/g, '\r\n');

/** The REQUESTs in the inbox, one per UID, the newest kept. */
function requests(messages: readonly DavObject[]): Waiting[] {
  const byUid = new Map<string, Waiting>();
  for (const message of messages) {
    const invitation = readInvitation(crlf(message.data));
    if (!invitation) continue;
    const prior = byUid.get(invitation.uid);
    const hrefs = [...(prior?.hrefs ?? []), message.href];
    const newest = !prior || invitation.sequence >= prior.invitation.sequence;
    byUid.set(invitation.uid, newest ? { invitation, message, hrefs } : { ...prior, hrefs });
  }
  return [...byUid.values()];
}

/** The event of this UID in one of the source's calendars, if any. */
function findByUid(
  state: AppState,
  source: Source,
  uid: string,
): { collection: Collection; event: StoredObject } | null {
  const line = `UID:${uid}`;
  const probe = uid.slice(0, 40);
  for (const collection of state.calendars()) {
    if (collection.source !== source) continue;
    for (const event of collection.objects.values())
      if (event.data.includes(probe) && event.data.replace(/\r?\n[ \t]/g, '').includes(line))
        return { collection, event };
  }
  return null;
}

/** Invitations whose event is in none of the source's calendars (not taken in, not processed by the server). */
export function waitingInvitations(state: AppState, source: Source, inbox: readonly DavObject[]): Waiting[] {
  return requests(inbox).filter((w) => findByUid(state, source, w.invitation.uid) === null);
}

/** Counter-proposals for events of the source's calendars that the user organizes. */
export function waitingProposals(state: AppState, source: Source, inbox: readonly DavObject[]): Proposed[] {
  const mine = new Set((source.me?.emails ?? []).map((e) => e.toLowerCase()));
  const out: Proposed[] = [];
  for (const message of inbox) {
    const proposal = readProposal(crlf(message.data));
    if (!proposal) continue;
    const found = findByUid(state, source, proposal.uid);
    if (!found) continue;
    const comp = parseItip(crlf(found.event.data)).getFirstSubcomponent('vevent');
    const organizer = comp ? organizerOf(comp) : null;
    if (!comp || !organizer || !mine.has(organizer.email.toLowerCase())) continue;
    out.push({ proposal, message, ...found, summary: String(comp.getFirstPropertyValue('summary') ?? '') });
  }
  return out;
}

/** Where an answered invitation goes: the writable calendar named `default` (Almanac's), else the first writable one for events. */
export function targetCalendar(state: AppState, source: Source): Collection | undefined {
  const writable = state
    .calendars()
    .filter(
      (c) =>
        c.source === source &&
        !c.dav.readOnly &&
        (c.dav.components.length === 0 || c.dav.components.includes('VEVENT')),
    );
  return writable.find((c) => /\/default\/?$/.test(c.dav.href)) ?? writable[0];
}
