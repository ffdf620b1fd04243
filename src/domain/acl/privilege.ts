/**
 * RFC 3744 §3 privileges. Aggregates: all ⊃ {read, write, unlock, read-acl, read-cups, write-acl};
 * write ⊃ {write-properties, write-content, bind, unbind}; RFC 6638 §6.3: all ⊃ {schedule-deliver
 * ⊃ {schedule-deliver-invite, schedule-deliver-reply, schedule-query-freebusy}, schedule-send ⊃
 * {schedule-send-invite, schedule-send-reply, schedule-send-freebusy}}. The XML tree (supported-privilege-set)
 * is dav/acl's; the rule who holds which is domain/objects/privileges.ts, the one every writer meets.
 */
export const PRIVILEGES = [
  'all',
  'read',
  'read-free-busy',
  'write',
  'write-properties',
  'write-content',
  'bind',
  'unbind',
  'unlock',
  'read-acl',
  'read-current-user-privilege-set',
  'write-acl',
  // RFC 6638 §6: meaningful on scheduling inboxes (§6.1) and outboxes (§6.2) only.
  'schedule-deliver',
  'schedule-deliver-invite',
  'schedule-deliver-reply',
  'schedule-query-freebusy',
  'schedule-send',
  'schedule-send-invite',
  'schedule-send-reply',
  'schedule-send-freebusy',
] as const;

export type Privilege = (typeof PRIVILEGES)[number];

/** RFC 6638 §6.1: the privileges of a scheduling inbox, its aggregate first. */
export const SCHEDULE_DELIVER: readonly Privilege[] = [
  'schedule-deliver',
  'schedule-deliver-invite',
  'schedule-deliver-reply',
  'schedule-query-freebusy',
];

/** RFC 6638 §6.2: the privileges of a scheduling outbox, its aggregate first. */
export const SCHEDULE_SEND: readonly Privilege[] = [
  'schedule-send',
  'schedule-send-invite',
  'schedule-send-reply',
  'schedule-send-freebusy',
];
