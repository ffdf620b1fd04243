/**
 * The body of a published calendar (issue #17 item 7): every event and task of the calendar as
 * one iCalendar stream (RFC 5545 §3.4, VTIMEZONEs once each, first), the public copy of each
 * (formats/ical/public-copy.ts: no alarms, no attendee addresses, PRIVATE and CONFIDENTIAL items
 * busy-only) and X-WR-CALNAME from the calendar's display name, as a calendar export is.
 */
import { createHash } from 'node:crypto';
import { displayNameOf } from '../calendar/display-name.js';
import { completeZones } from '../../formats/ical/intl-zones.js';
import type { IcalComponent } from '../../formats/ical/ical.js';
import { mergeCalendars } from '../../formats/ical/merge.js';
import { parseCalendar } from '../../formats/ical/parse.js';
import { publicCopy } from '../../formats/ical/public-copy.js';
import type { Store } from '../../store/store.js';
import type { Resource } from '../../store/types.js';

/** Bounds of one feed: a calendar larger than this is not served (the answer says so). */
export interface PublicFeedLimits {
  readonly maxObjects: number;
  readonly maxBytes: number;
}

export const PUBLIC_FEED_LIMITS: PublicFeedLimits = { maxObjects: 20_000, maxBytes: 32 * 1024 * 1024 };

export type PublicFeed = { readonly body: string } | { readonly tooLarge: string };

/**
 * The feed's entity tag: it changes exactly when something the feed shows may have changed —
 * a member (the change feed's sequence, `syncSeq`) or the calendar's properties (`metaSeq`) —
 * so a conditional GET costs one row read. A hash, so it tells nothing of the store.
 */
export function publicFeedEtag(calendar: Resource): string {
  const h = createHash('sha256').update(`public-feed:1:${calendar.id}:${calendar.syncSeq}:${calendar.metaSeq}`);
  return `"${h.digest('base64url').slice(0, 27)}"`;
}

export async function buildPublicFeed(
  store: Store,
  calendar: Resource,
  limits: PublicFeedLimits = PUBLIC_FEED_LIMITS,
): Promise<PublicFeed> {
  const members = (await store.listChildren(calendar.id)).filter((m) => !m.isCollection);
  if (members.length > limits.maxObjects) return { tooLarge: `more than ${limits.maxObjects} items` };
  const bytes = members.reduce((n, m) => n + m.size, 0);
  if (bytes > limits.maxBytes) return { tooLarge: `more than ${limits.maxBytes} bytes` };
  const roots: IcalComponent[] = [];
  for (const m of members) {
    let root: IcalComponent;
    try {
      root = parseCalendar(await store.readBody(m.id));
    } catch {
      continue; // stored objects were validated on PUT; one that no longer parses is left out
    }
    if (!publicCopy(root, 'Busy')) continue;
    completeZones(root); // RFC 5545 §3.6.5: every TZID used is defined in the stream
    roots.push(root);
  }
  return { body: mergeCalendars(roots, '-//Almanac//Public calendar//EN', await displayNameOf(store, calendar)) };
}
