import { caldav } from '../../xml/names.js';
import { calendarObjectType } from '../caldav/object-type.js';
import type { Registry } from '../core/registry.js';
import { postOutboxMethod } from './methods/post-outbox.js';
import { scheduleDefaultCalendarUrl } from './properties/schedule-default-calendar-url.js';
import { scheduleInboxUrl } from './properties/schedule-inbox-url.js';
import { scheduleOutboxUrl } from './properties/schedule-outbox-url.js';
import { scheduleTag } from './properties/schedule-tag.js';

/** RFC 6638 CalDAV scheduling: everything it adds, listed once. */
export function registerSchedule(registry: Registry): void {
  // §2: the server does implicit scheduling (the write path's commit hooks, domain/scheduling/).
  registry.compliance.push('calendar-auto-schedule');
  // §2.2 inbox: its members are iTIP messages, represented like calendar objects; §2.1 outbox.
  registry.collectionType({
    name: 'schedule-inbox',
    resourceType: [caldav('schedule-inbox')],
    objects: calendarObjectType,
  });
  registry.collectionType({ name: 'schedule-outbox', resourceType: [caldav('schedule-outbox')] });
  // §5: busy time by POST to the outbox.
  registry.post(postOutboxMethod);
  for (const p of [scheduleInboxUrl, scheduleOutboxUrl, scheduleDefaultCalendarUrl, scheduleTag]) registry.property(p);
}
