import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { IcalComponent } from '../ical.js';
import { applyCancel, applyReply, applyRequest, components, parseItip, planOrganizer, planReply } from './index.js';

const NOW = new Date('2026-12-04T12:00:00Z');

function event(attendees: string[], extra = '', overrides = ''): string {
  return [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//test//EN',
    'BEGIN:VEVENT',
    'UID:e1',
    'DTSTAMP:20261201T000000Z',
    'DTSTART:20270110T100000Z',
    'DTEND:20270110T110000Z',
    'SUMMARY:Meeting',
    'ORGANIZER:mailto:alice@example.com',
    'ATTENDEE;PARTSTAT=ACCEPTED:mailto:alice@example.com',
    ...attendees,
    ...(extra ? [extra] : []),
    'END:VEVENT',
    ...(overrides ? [overrides] : []),
    'END:VCALENDAR',
    '',
  ].join('\r\n');
}
const BOB = 'ATTENDEE;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:Bob@Example.com';
const CAROL = 'ATTENDEE;PARTSTAT=NEEDS-ACTION:mailto:carol@example.com';

describe('iTIP organizer messages (RFC 6638 §3.2.1, RFC 5546 §2.1.4)', () => {
  it('a new event invites every attendee but the organizer, addresses compared case-insensitively', () => {
    const plan = planOrganizer(null, parseItip(event([BOB, CAROL])), NOW);
    assert.deepEqual(
      plan?.messages.map((m) => `${m.method} ${m.recipient}`),
      ['REQUEST mailto:bob@example.com', 'REQUEST mailto:carol@example.com'],
    );
    assert.match(plan?.messages[0]?.ics ?? '', /METHOD:REQUEST/);
  });

  it('an insignificant change sends nothing and keeps SEQUENCE; a significant one re-invites and bumps it', () => {
    const before = parseItip(event([BOB]));
    const quiet = parseItip(event([BOB], 'X-FOO:bar').replace('PARTSTAT=ACCEPTED', 'PARTSTAT=TENTATIVE'));
    assert.deepEqual(planOrganizer(before, quiet, NOW)?.messages, []);
    const moved = parseItip(event([BOB]).replace('DTSTART:20270110T100000Z', 'DTSTART:20270110T090000Z'));
    const plan = planOrganizer(before, moved, NOW);
    assert.equal(plan?.messages.length, 1);
    assert.equal(plan?.changed, true);
    assert.equal(components(moved).get('')?.getFirstPropertyValue('sequence'), 1);
  });

  it('a removed attendee gets CANCEL, a new one REQUEST, SCHEDULE-AGENT=CLIENT none; a delete cancels all', () => {
    const before = parseItip(event([BOB, CAROL]));
    const after = parseItip(
      event([CAROL, 'ATTENDEE;SCHEDULE-AGENT=CLIENT:mailto:dan@example.com', 'ATTENDEE:mailto:eve@example.com']),
    );
    const plan = planOrganizer(before, after, NOW);
    assert.deepEqual(plan?.messages.map((m) => `${m.method} ${m.recipient}`).sort(), [
      'CANCEL mailto:bob@example.com',
      'REQUEST mailto:carol@example.com',
      'REQUEST mailto:eve@example.com',
    ]);
    const gone = planOrganizer(before, null, NOW);
    assert.deepEqual(
      gone?.messages.map((m) => m.method),
      ['CANCEL', 'CANCEL'],
    );
    assert.match(gone?.messages[0]?.ics ?? '', /STATUS:CANCELLED/);
  });

  it('RFC 6638 §3.2.6: an attendee of the master only, not of an override, gets that instance as EXDATE', () => {
    const override = [
      'BEGIN:VEVENT',
      'UID:e1',
      'DTSTAMP:20261201T000000Z',
      'RECURRENCE-ID:20270117T100000Z',
      'DTSTART:20270117T120000Z',
      'DTEND:20270117T130000Z',
      'SUMMARY:Meeting',
      'ORGANIZER:mailto:alice@example.com',
      CAROL,
      'END:VEVENT',
    ].join('\r\n');
    const plan = planOrganizer(null, parseItip(event([BOB, CAROL], 'RRULE:FREQ=WEEKLY;COUNT=4', override)), NOW);
    const bob = plan?.messages.find((m) => m.recipient === 'mailto:bob@example.com');
    assert.match(bob?.ics ?? '', /EXDATE:20270117T100000Z/);
    assert.doesNotMatch(bob?.ics ?? '', /RECURRENCE-ID/);
  });
});

describe('iTIP replies (RFC 6638 §3.2.2, RFC 5546 §3.2.3)', () => {
  const me = new Set(['mailto:bob@example.com']);
  it('a PARTSTAT change sends a REPLY holding only the attendee; a delete declines', () => {
    const before = parseItip(event([BOB, CAROL]));
    const after = parseItip(event([BOB.replace('NEEDS-ACTION', 'ACCEPTED'), CAROL]));
    const reply = planReply(before, after, me, NOW);
    assert.equal(reply?.organizer, 'mailto:alice@example.com');
    assert.match(reply?.ics ?? '', /METHOD:REPLY/);
    assert.match(reply?.ics ?? '', /PARTSTAT=ACCEPTED/);
    assert.doesNotMatch(reply?.ics ?? '', /carol/);
    assert.equal(planReply(before, parseItip(event([BOB, CAROL], 'X-A:1')), me, NOW), null);
    assert.match(planReply(before, null, me, NOW)?.ics ?? '', /PARTSTAT=DECLINED/);
  });

  it('RFC 6638 §3.2.2.1 item 8: an EXDATE the attendee adds declines that occurrence (RECURRENCE-ID, no DTSTART); one already there sends nothing', () => {
    const weekly = (extra: string): IcalComponent =>
      parseItip(event([BOB], ['RRULE:FREQ=WEEKLY;COUNT=4', ...(extra ? [extra] : [])].join('\r\n')));
    const reply = planReply(weekly(''), weekly('EXDATE:20270117T100000Z'), me, NOW);
    assert.ok(reply);
    const comps = parseItip(reply.ics).getAllSubcomponents('vevent');
    assert.equal(comps.length, 1);
    assert.equal(String(comps[0]!.getFirstPropertyValue('recurrence-id')), '2027-01-17T10:00:00Z');
    assert.equal(comps[0]!.getFirstPropertyValue('dtstart'), null);
    assert.match(reply.ics, /ATTENDEE;PARTSTAT=DECLINED:mailto:Bob@Example\.com/i);
    assert.equal(planReply(weekly('EXDATE:20270117T100000Z'), weekly('EXDATE:20270117T100000Z'), me, NOW), null);
    const organizer = weekly('');
    assert.equal(applyReply(organizer, parseItip(reply.ics)).ok, true);
    const override = components(organizer).get('2027-01-17T10:00:00Z');
    assert.match(override?.toString() ?? '', /PARTSTAT=DECLINED/, "the organizer's copy shows bob declined that week");
  });

  it('applying a REPLY sets PARTSTAT and SCHEDULE-STATUS; an instance reply makes an override; a wrong sender is refused', () => {
    const organizer = parseItip(event([BOB], 'RRULE:FREQ=WEEKLY;COUNT=4'));
    const reply = parseItip(
      planReply(parseItip(event([BOB])), parseItip(event([BOB.replace('NEEDS-ACTION', 'TENTATIVE')])), me, NOW)?.ics ??
        '',
    );
    assert.deepEqual(applyReply(organizer, reply), { ok: true, attendee: 'mailto:bob@example.com', changed: true });
    assert.match(organizer.toString(), /PARTSTAT=TENTATIVE;SCHEDULE-STATUS=2\.0:mailto:Bob/i);
    const instance = parseItip(
      [
        'BEGIN:VCALENDAR',
        'METHOD:REPLY',
        'BEGIN:VEVENT',
        'UID:e1',
        'RECURRENCE-ID:20270117T100000Z',
        'ATTENDEE;PARTSTAT=DECLINED:mailto:bob@example.com',
        'END:VEVENT',
        'END:VCALENDAR',
      ].join('\r\n'),
    );
    assert.equal(applyReply(organizer, instance).ok, true);
    const override = components(organizer).get('2027-01-17T10:00:00Z');
    assert.ok(override, 'an override was made');
    assert.equal(String(override.getFirstPropertyValue('dtend')), '2027-01-17T11:00:00Z');
    assert.deepEqual(applyReply(organizer, instance, 'mailto:mallory@example.com').ok, false);
  });
});

describe('the attendee copy (RFC 6638 §4.1)', () => {
  it('a REQUEST becomes the copy without METHOD; a CANCEL of the master removes it, of an instance adds EXDATE', () => {
    const request = parseItip(
      planOrganizer(null, parseItip(event([BOB], 'RRULE:FREQ=WEEKLY;COUNT=4')), NOW)?.messages[0]?.ics ?? '',
    );
    const copy = applyRequest(null, request);
    assert.doesNotMatch(copy, /METHOD/);
    const cancelOne = parseItip(
      [
        'BEGIN:VCALENDAR',
        'METHOD:CANCEL',
        'BEGIN:VEVENT',
        'UID:e1',
        'RECURRENCE-ID:20270117T100000Z',
        'END:VEVENT',
        'END:VCALENDAR',
      ].join('\r\n'),
    );
    assert.match(applyCancel(parseItip(copy), cancelOne) ?? '', /EXDATE:20270117T100000Z/);
    assert.equal(
      applyCancel(parseItip(copy), parseItip(copy.replace('BEGIN:VCALENDAR', 'BEGIN:VCALENDAR\r\nMETHOD:CANCEL'))),
      null,
    );
  });
});
