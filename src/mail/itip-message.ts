import type { ItipObject } from './itip-object.js';

/** One iTIP message for one recipient outside the server, as the scheduling queue hands it over. */
export interface OutboundItipMessage {
  readonly organizer: { readonly name?: string | undefined; readonly mailto: string };
  /** `mailto:…` of the recipient (an attendee for REQUEST/ADD/CANCEL, the organizer for REPLY/COUNTER). */
  readonly recipient: string;
  readonly method: string;
  readonly icsText: string;
  /** SUMMARY for the subject line; read from icsText when absent. */
  readonly summary?: string | undefined;
  /** reply-token.ts token for the Reply-To address; absent = Reply-To is the organizer. */
  readonly replyToken?: string | undefined;
}

const SUBJECTS: Readonly<Record<string, string>> = {
  REQUEST: 'Invitation',
  ADD: 'New instances',
  CANCEL: 'Cancelled',
  REPLY: 'Reply',
  COUNTER: 'New time proposed',
  DECLINECOUNTER: 'Proposal declined',
  REFRESH: 'Please send the latest version',
  PUBLISH: 'Event',
};

/** The Subject line: what happened, then the SUMMARY. */
export function subjectFor(method: string, summary: string): string {
  const what = SUBJECTS[method] ?? 'Calendar';
  return summary === '' ? what : `${what}: ${summary.replace(/[\r\n]+/g, ' ')}`;
}

function when(obj: ItipObject): string | null {
  if (obj.start === null) return null;
  return `${new Date(obj.start)
    .toISOString()
    .replace('T', ' ')
    .replace(/:\d\d\.\d{3}Z$/, ' UTC')}`;
}

/**
 * The text/plain alternative (RFC 6047 §2.4: "scheduling messages SHOULD be sent with an
 * alternative, human-readable form"): what, when, where, who, and that a calendar program reads
 * the attached object.
 */
export function plainTextFor(obj: ItipObject, organizer: string): string {
  const lines = [subjectFor(obj.method, obj.summary), ''];
  const start = when(obj);
  if (start !== null) lines.push(`When: ${start}`);
  if (obj.location !== null) lines.push(`Where: ${obj.location}`);
  lines.push(`Organizer: ${organizer}`);
  if (obj.attendees.length > 0) lines.push(`Attendees: ${obj.attendees.join(', ')}`);
  lines.push('', `This message carries an iCalendar ${obj.method} (RFC 5546); your calendar program can read it.`);
  return `${lines.join('\n')}\n`;
}
