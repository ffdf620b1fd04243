/** Text search over events and tasks (text-search.ts): SUMMARY, LOCATION, DESCRIPTION, CATEGORIES (RFC 5545 §3.8.1). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCalendar } from './parse.js';
import { queryWords, searchCalendarObject } from './text-search.js';

const cal = (...lines: string[]): string =>
  ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:t', ...lines, 'END:VCALENDAR', ''].join('\r\n');

describe('search in events and tasks', () => {
  const root = parseCalendar(
    cal(
      'BEGIN:VEVENT',
      'UID:e',
      'DTSTAMP:20260101T000000Z',
      'DTSTART:20261201T090000Z',
      'SUMMARY:Team lunch',
      'LOCATION:Café Müller\\, Berlin',
      'DESCRIPTION:Bring the budget\\nslides',
      'RRULE:FREQ=WEEKLY',
      'END:VEVENT',
      'BEGIN:VEVENT',
      'UID:e',
      'DTSTAMP:20260101T000000Z',
      'RECURRENCE-ID:20261208T090000Z',
      'DTSTART:20261208T100000Z',
      'SUMMARY:Team lunch (Pizza)',
      'END:VEVENT',
    ),
  );
  it('finds by location and description, unescaped, ignoring case and accents; every word must match', () => {
    assert.deepEqual(
      searchCalendarObject(root, queryWords('cafe muller, berlin')).map((h) => h.uid),
      ['e'],
    );
    assert.deepEqual(
      searchCalendarObject(root, queryWords('BUDGET slides')).map((h) => h.recurrenceId),
      [null],
    );
    assert.deepEqual(searchCalendarObject(root, queryWords('budget pizza')), []);
  });
  it('an overridden instance is a hit of its own, with its RECURRENCE-ID', () => {
    assert.deepEqual(searchCalendarObject(root, queryWords('pizza')), [
      { kind: 'event', uid: 'e', title: 'Team lunch (Pizza)', recurrenceId: '2026-12-08T09:00:00Z' },
    ]);
  });
  it('tasks by title and category; a blank query finds nothing', () => {
    const todo = parseCalendar(
      cal(
        'BEGIN:VTODO',
        'UID:t',
        'DTSTAMP:20260101T000000Z',
        'SUMMARY:Paint fence',
        'CATEGORIES:Garden,Weekend',
        'END:VTODO',
      ),
    );
    assert.deepEqual(
      searchCalendarObject(todo, queryWords('garden')).map((h) => [h.kind, h.title]),
      [['task', 'Paint fence']],
    );
    assert.deepEqual(searchCalendarObject(todo, queryWords('   ')), []);
  });
});
