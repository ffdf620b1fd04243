/**
 * Reminders (reminders.ts): DISPLAY/AUDIO VALARMs (RFC 5545 §3.6.6, §3.8.6.3 TRIGGER relative to
 * START or END, absolute, REPEAT/DURATION), per instance of a recurring event, acknowledged ones
 * (RFC 9074 §6 ACKNOWLEDGED, X-MOZ-LASTACK) left out, done tasks silent.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCalendar } from './parse.js';
import { remindersBetween } from './reminders.js';

const cal = (...lines: string[]): string =>
  ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:t', ...lines, 'END:VCALENDAR', ''].join('\r\n');
const alarm = (...lines: string[]): string[] => ['BEGIN:VALARM', ...lines, 'END:VALARM'];
const T = (iso: string): number => Date.parse(iso);
const at = (root: string, from: string, to: string): string[] =>
  remindersBetween(parseCalendar(root), T(from), T(to), null).map(
    (r) => `${r.title}@${new Date(r.at).toISOString().slice(0, 16)}`,
  );

describe('reminders (RFC 5545 §3.6.6)', () => {
  it("relative to the start, to the end (RELATED=END), absolute, and repeated; EMAIL alarms are not the browser's", () => {
    const data = cal(
      'BEGIN:VEVENT',
      'UID:e',
      'DTSTAMP:20260101T000000Z',
      'SUMMARY:Dentist',
      'DTSTART:20261210T090000Z',
      'DTEND:20261210T100000Z',
      ...alarm('ACTION:DISPLAY', 'DESCRIPTION:Dentist soon', 'TRIGGER:-PT15M'),
      ...alarm('ACTION:AUDIO', 'TRIGGER;RELATED=END:-PT5M'),
      ...alarm('ACTION:DISPLAY', 'DESCRIPTION:x', 'TRIGGER;VALUE=DATE-TIME:20261209T180000Z'),
      ...alarm('ACTION:DISPLAY', 'DESCRIPTION:x', 'TRIGGER:-PT1H', 'REPEAT:2', 'DURATION:PT10M'),
      ...alarm('ACTION:EMAIL', 'DESCRIPTION:x', 'SUMMARY:x', 'ATTENDEE:mailto:a@example.com', 'TRIGGER:-PT30M'),
      'END:VEVENT',
    );
    assert.deepEqual(at(data, '2026-12-09T00:00:00Z', '2026-12-11T00:00:00Z'), [
      'Dentist@2026-12-09T18:00',
      'Dentist@2026-12-10T08:00',
      'Dentist@2026-12-10T08:10',
      'Dentist@2026-12-10T08:20',
      'Dentist@2026-12-10T08:45',
      'Dentist@2026-12-10T09:55',
    ]);
    const [first] = remindersBetween(parseCalendar(data), T('2026-12-10T08:40:00Z'), T('2026-12-10T08:50:00Z'), null);
    assert.deepEqual(
      [first?.action, first?.description, first?.time],
      ['DISPLAY', 'Dentist soon', T('2026-12-10T09:00:00Z')],
    );
  });

  it('each instance of a recurring event, only inside the window; keys differ per instance', () => {
    const data = cal(
      'BEGIN:VEVENT',
      'UID:d',
      'DTSTAMP:20260101T000000Z',
      'SUMMARY:Standup',
      'DTSTART:20200101T090000Z',
      'DURATION:PT15M',
      'RRULE:FREQ=DAILY',
      ...alarm('ACTION:DISPLAY', 'DESCRIPTION:Standup', 'TRIGGER:-PT5M'),
      'END:VEVENT',
    );
    const got = remindersBetween(parseCalendar(data), T('2026-12-10T00:00:00Z'), T('2026-12-12T00:00:00Z'), null);
    assert.deepEqual(
      got.map((r) => new Date(r.at).toISOString()),
      ['2026-12-10T08:55:00.000Z', '2026-12-11T08:55:00.000Z'],
    );
    assert.notEqual(got[0]!.key, got[1]!.key);
  });
});

describe('reminders (RFC 5545 §3.6.6): acknowledged alarms and tasks', () => {
  it('ACKNOWLEDGED (RFC 9074 §6) and X-MOZ-LASTACK after a trigger silence it; a repeat after the acknowledgement still fires', () => {
    const data = cal(
      'BEGIN:VEVENT',
      'UID:a',
      'DTSTAMP:20260101T000000Z',
      'SUMMARY:Acked',
      'DTSTART:20261210T090000Z',
      'DURATION:PT1H',
      ...alarm(
        'ACTION:DISPLAY',
        'DESCRIPTION:x',
        'TRIGGER:-PT30M',
        'REPEAT:1',
        'DURATION:PT20M',
        'ACKNOWLEDGED:20261210T083100Z',
      ),
      'END:VEVENT',
      'BEGIN:VEVENT',
      'UID:m',
      'DTSTAMP:20260101T000000Z',
      'SUMMARY:Thunderbird',
      'DTSTART:20261210T090000Z',
      'DURATION:PT1H',
      'X-MOZ-LASTACK:20261210T084600Z',
      ...alarm('ACTION:DISPLAY', 'DESCRIPTION:x', 'TRIGGER:-PT15M'),
      'END:VEVENT',
    );
    assert.deepEqual(at(data, '2026-12-10T00:00:00Z', '2026-12-11T00:00:00Z'), ['Acked@2026-12-10T08:50']);
  });

  it('a task reminds relative to its DUE (no DTSTART) and not once it is completed', () => {
    const todo = (status: string): string =>
      cal(
        'BEGIN:VTODO',
        'UID:t',
        'DTSTAMP:20260101T000000Z',
        'SUMMARY:Call bank',
        'DUE:20261210T120000Z',
        status,
        ...alarm('ACTION:DISPLAY', 'DESCRIPTION:x', 'TRIGGER;RELATED=END:-PT1H'),
        'END:VTODO',
      );
    assert.deepEqual(at(todo('STATUS:NEEDS-ACTION'), '2026-12-10T00:00:00Z', '2026-12-11T00:00:00Z'), [
      'Call bank@2026-12-10T11:00',
    ]);
    assert.deepEqual(at(todo('STATUS:COMPLETED'), '2026-12-10T00:00:00Z', '2026-12-11T00:00:00Z'), []);
  });
});
