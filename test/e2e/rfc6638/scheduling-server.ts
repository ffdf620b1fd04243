/** Shared by the RFC 6638 tests: a server with three users who have e-mail addresses (name@example.com). */
import type { Store } from '../../../src/store/store.js';
import { davFetch, startTestServer, type TestServer } from '../../helpers/server.js';

export type UserFetch = ReturnType<typeof davFetch>;

export interface SchedulingServer {
  readonly server: TestServer;
  readonly as: Record<'alice' | 'bob' | 'carol', UserFetch>;
}

export async function startSchedulingServer(): Promise<SchedulingServer> {
  const server = await startTestServer({ users: { alice: 'alice-pw', bob: 'bob-pw', carol: 'carol-pw' } });
  return {
    server,
    as: {
      alice: davFetch(server.url, 'alice'),
      bob: davFetch(server.url, 'bob'),
      carol: davFetch(server.url, 'carol'),
    },
  };
}

export const ICS = { 'Content-Type': 'text/calendar; charset=utf-8' };

/** An event organized by alice@example.com (who attends) inviting `attendees` (addresses without mailto:). */
export function invitation(uid: string, attendees: string[], start = '20270110T100000Z'): string {
  return [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//test//EN',
    'BEGIN:VEVENT',
    `UID:${uid}`,
    'DTSTAMP:20261201T000000Z',
    `DTSTART:${start}`,
    'DURATION:PT1H',
    'SUMMARY:Planning',
    'ORGANIZER;CN=Alice:mailto:alice@example.com',
    'ATTENDEE;PARTSTAT=ACCEPTED:mailto:alice@example.com',
    ...attendees.map((a) => `ATTENDEE;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:${a}`),
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');
}

/** The bodies of the user's scheduling inbox messages, read from the store. */
export async function inboxBodies(store: Store, user: string): Promise<string[]> {
  const inbox = await store.getResource(`/calendars/${user}/inbox`);
  const kids = inbox ? await store.listChildren(inbox.id) : [];
  const bodies = await store.readBodies(kids.map((k) => k.id));
  return kids.map((k) => Buffer.from(bodies.get(k.id) ?? new Uint8Array()).toString('utf8'));
}

/** iCalendar text with its folded lines joined (RFC 5545 §3.1). */
export const unfold = (s: string): string => s.replace(/\r\n[ \t]/g, '');
