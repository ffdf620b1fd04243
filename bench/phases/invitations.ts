/**
 * invite-50-internal: an organizer's PUT of a new event with 50 attendees who are users of this
 * server (RFC 6638 §3.2.1: each gets the REQUEST in their inbox and their copy in their default
 * calendar, all in the PUT's transaction), timed to the 201. The same organizer's PUT of the same
 * event without attendees is timed alternately in the same run (put-plain), so the figure is also
 * a ratio: what scheduling 50 people costs over a plain write.
 *
 * Against an in-process test server of its own (SQLite), sequential (one request at a time): the
 * figure is one write's latency, not throughput.
 */
import { startTestServer, type TestServer } from '../../test/helpers/server.js';
import { summarize } from '../client.js';
import type { PhaseResult } from './common.js';

export const INVITE_PHASE = 'invite-50-internal';
const PUT_PLAIN_PHASE = 'put-plain-same-event';
const ATTENDEES = 50;
/** Measured rounds at most (each: one plain PUT and one invitation). */
const MAX_ROUNDS = 30;

const invitee = (i: number): string => `invitee${String(i).padStart(2, '0')}`;

function event(uid: string, attendees: number): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Almanac//bench//EN',
    'BEGIN:VEVENT',
    `UID:${uid}`,
    'DTSTAMP:20261201T090000Z',
    'DTSTART:20270115T100000Z',
    'DTEND:20270115T110000Z',
    'SUMMARY:All hands',
  ];
  if (attendees > 0) {
    lines.push('ORGANIZER;CN=Organizer:mailto:organizer@example.com');
    lines.push('ATTENDEE;PARTSTAT=ACCEPTED;ROLE=CHAIR:mailto:organizer@example.com');
    for (let i = 0; i < attendees; i++)
      lines.push(`ATTENDEE;CN=Invitee ${i};PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:${invitee(i)}@example.com`);
  }
  lines.push('END:VEVENT', 'END:VCALENDAR', '');
  return lines.join('\r\n');
}

async function timedPut(server: TestServer, auth: string, uid: string, body: string): Promise<number> {
  const t0 = performance.now();
  const res = await fetch(`${server.url}/dav/calendars/organizer/default/${uid}.ics`, {
    method: 'PUT',
    headers: { Authorization: auth, 'Content-Type': 'text/calendar; charset=utf-8', 'If-None-Match': '*' },
    body,
  });
  await res.arrayBuffer();
  const ms = performance.now() - t0;
  if (res.status !== 201) throw new Error(`PUT ${uid}: ${res.status}`);
  return ms;
}

/** The last invitation reached every invitee's default calendar and the organizer's copy says delivered. */
async function check(server: TestServer, auth: string, uid: string): Promise<string[]> {
  const problems: string[] = [];
  const own = await fetch(`${server.url}/dav/calendars/organizer/default/${uid}.ics`, {
    headers: { Authorization: auth },
  });
  const text = (await own.text()).replace(/\r\n[ \t]/g, '');
  const delivered = text.split('\r\n').filter((l) => l.startsWith('ATTENDEE') && /SCHEDULE-STATUS=1\.2/.test(l));
  if (delivered.length !== ATTENDEES) problems.push(`${delivered.length} of ${ATTENDEES} attendees delivered`);
  for (const i of [0, ATTENDEES - 1]) {
    const user = invitee(i);
    const res = await fetch(`${server.url}/dav/calendars/${user}/default/${uid}.ics`, {
      headers: { Authorization: `Basic ${Buffer.from(`${user}:pw`).toString('base64')}` },
    });
    if (res.status !== 200) problems.push(`${user} has no copy (${res.status})`);
    await res.arrayBuffer();
  }
  return problems;
}

export async function runInvitations(requests: number, log: (line: string) => void): Promise<PhaseResult[]> {
  const rounds = Math.max(1, Math.min(MAX_ROUNDS, requests));
  const users: Record<string, string> = { organizer: 'pw' };
  for (let i = 0; i < ATTENDEES; i++) users[invitee(i)] = 'pw';
  let server: TestServer | undefined;
  try {
    server = await startTestServer({ users });
    const auth = `Basic ${Buffer.from('organizer:pw').toString('base64')}`;
    // Warm-up: the first writes compile the code paths and fill the caches of both kinds.
    await timedPut(server, auth, 'warm-plain', event('warm-plain', 0));
    await timedPut(server, auth, 'warm-invite', event('warm-invite', ATTENDEES));
    const invite: number[] = [];
    const plain: number[] = [];
    const t0 = performance.now();
    for (let r = 0; r < rounds; r++) {
      plain.push(await timedPut(server, auth, `plain-${r}`, event(`plain-${r}`, 0)));
      invite.push(await timedPut(server, auth, `invite-${r}`, event(`invite-${r}`, ATTENDEES)));
    }
    const seconds = (performance.now() - t0) / 1000;
    const problems = await check(server, auth, `invite-${rounds - 1}`);
    const inviteStats = summarize(invite, 0, problems.length, seconds, 0, false);
    const plainStats = summarize(plain, 0, 0, seconds, 0, false);
    const note = `${(inviteStats.p50 / plainStats.p50).toFixed(1)}× a plain PUT of the same event (p50 ${plainStats.p50.toFixed(1)} ms)`;
    log(`  ${INVITE_PHASE}: p50 ${inviteStats.p50.toFixed(1)} ms, p99 ${inviteStats.p99.toFixed(1)} ms — ${note}`);
    return [
      { phase: INVITE_PHASE, status: problems.length > 0 ? 'failed' : 'ok', stats: inviteStats, problems, note },
      { phase: PUT_PLAIN_PHASE, status: 'ok', stats: plainStats, problems: [] },
    ];
  } catch (err) {
    const note = String((err as Error).message ?? err);
    return [{ phase: INVITE_PHASE, status: 'failed', problems: [note], note }];
  } finally {
    await server?.close();
  }
}
