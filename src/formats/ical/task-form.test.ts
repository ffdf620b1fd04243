/**
 * Tasks (task-form.ts): VTODO (RFC 5545 §3.6.2) with DTSTART, DUE, PRIORITY, PERCENT-COMPLETE,
 * CATEGORIES (§3.8.1.2), the parent as RELATED-TO;RELTYPE=PARENT (§3.8.4.5, §3.2.15, RFC 9253),
 * completion (§3.8.1.11 STATUS, §3.8.2.1 COMPLETED), and due tasks in a calendar range.
 */
process.env.TZ = 'Europe/Berlin';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCalendar } from './edit-time.js';
import { createTask, editTask, emptyTask, readTask, taskOccurrences } from './task-form.js';
import { parseCalendar as parseObject } from './parse.js';
import { validateCalendarObject } from './validate.js';

const todo = (...lines: string[]): string =>
  [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:t',
    'BEGIN:VTODO',
    'DTSTAMP:20260101T000000Z',
    ...lines,
    'END:VTODO',
    'END:VCALENDAR',
    '',
  ].join('\r\n');

describe('task model (RFC 5545 §3.6.2)', () => {
  it('a subtask with start, due, categories and priority: written as Nextcloud Tasks reads it, and read back', () => {
    const { data } = createTask(
      emptyTask({
        title: 'Buy paint',
        start: '2026-12-05',
        due: '2026-12-07T18:00',
        priority: 1,
        categories: ['Home', 'Shopping', 'Home', ' '],
        parent: 'parent-uid',
      }),
      'child',
    );
    assert.match(data, /DUE;TZID=Europe\/Berlin:20261207T180000/);
    assert.match(data, /DTSTART;TZID=Europe\/Berlin:20261205T000000/, "DTSTART takes the DUE's value type (§3.8.2.3)");
    assert.match(data, /CATEGORIES:Home,Shopping\r\n/);
    assert.match(data, /RELATED-TO;RELTYPE=PARENT:parent-uid/);
    validateCalendarObject(parseObject(data), { components: ['VTODO'] });
    const t = readTask(parseCalendar(data))!;
    assert.deepEqual(
      [t.uid, t.title, t.due, t.priority, t.categories, t.parent, t.completed],
      ['child', 'Buy paint', '2026-12-07T18:00', 1, ['Home', 'Shopping'], 'parent-uid', false],
    );
    assert.equal(t.dueAt?.toISOString(), '2026-12-07T17:00:00.000Z');
  });

  it('completing sets STATUS:COMPLETED, COMPLETED and PERCENT-COMPLETE:100; reopening removes COMPLETED', () => {
    const { data } = createTask(emptyTask({ title: 'x', percent: 40 }));
    assert.match(data, /STATUS:IN-PROCESS/);
    const done = editTask(data, { ...readTask(parseCalendar(data))!, completed: true });
    assert.match(done, /STATUS:COMPLETED/);
    assert.match(done, /PERCENT-COMPLETE:100/);
    assert.match(done, /\r\nCOMPLETED:\d{8}T\d{6}Z/);
    const open = editTask(done, { ...readTask(parseCalendar(done))!, completed: false, percent: 0 });
    assert.doesNotMatch(open, /\r\nCOMPLETED:/);
    assert.match(open, /STATUS:NEEDS-ACTION/);
  });

  it('reads what other clients write: RELATED-TO without RELTYPE is the parent, repeated CATEGORIES, a SIBLING link kept on edit', () => {
    const data = todo(
      'UID:c',
      'SUMMARY:Child',
      'RELATED-TO:p',
      'RELATED-TO;RELTYPE=SIBLING:s',
      'CATEGORIES:A,B',
      'CATEGORIES:C',
      'STATUS:COMPLETED',
    );
    const t = readTask(parseCalendar(data))!;
    assert.deepEqual([t.parent, t.categories, t.completed, t.percent], ['p', ['A', 'B', 'C'], true, 100]);
    const moved = editTask(data, { ...t, parent: '' });
    assert.doesNotMatch(moved, /RELATED-TO:p/);
    assert.match(moved, /RELATED-TO;RELTYPE=SIBLING:s/);
  });

  it('due tasks in a range: at DUE, all-day for a DATE; each instance of a recurring task at its own DUE', () => {
    const one = parseCalendar(todo('UID:a', 'SUMMARY:File taxes', 'DUE;VALUE=DATE:20261215'));
    assert.deepEqual(
      taskOccurrences(one, new Date('2026-12-01T00:00:00Z'), new Date('2027-01-01T00:00:00Z')).map((o) => [
        o.title,
        o.due.toISOString(),
        o.allDay,
      ]),
      [['File taxes', '2026-12-14T23:00:00.000Z', true]],
    );
    const weekly = parseCalendar(
      todo('UID:b', 'SUMMARY:Bins', 'DTSTART:20261201T060000Z', 'DUE:20261201T070000Z', 'RRULE:FREQ=WEEKLY;COUNT=10'),
    );
    assert.deepEqual(
      taskOccurrences(weekly, new Date('2026-12-07T00:00:00Z'), new Date('2026-12-21T00:00:00Z')).map((o) =>
        o.due.toISOString(),
      ),
      ['2026-12-08T07:00:00.000Z', '2026-12-15T07:00:00.000Z'],
    );
    const none = parseCalendar(todo('UID:n', 'SUMMARY:Someday'));
    assert.deepEqual(taskOccurrences(none, new Date(0), new Date('2100-01-01T00:00:00Z')), []);
  });
});
