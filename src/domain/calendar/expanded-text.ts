/**
 * A lone event's CALDAV:expand answer (RFC 4791 §9.6.5), made when the event is written and
 * stored with it (issue #20). Most of a calendar's events are lone: one VEVENT, no recurrence,
 * absolute times — the store marks their span exact. Expanding one in a window is the same text
 * in every window it overlaps (its one instance in UTC, its VTIMEZONEs dropped), so it is written
 * once here (formats/ical/instance-text.ts `loneEventExpansion`, what `ObjectCache.renderWork`
 * writes from the body otherwise) and an expanded window reads it instead of the body, which is
 * several times longer with the VTIMEZONEs Apple and Thunderbird embed in every object, and
 * writes nothing.
 *
 * The store keeps the text for the version it was written with (store `readExpandedTexts`);
 * here it also carries the form it was written in, so a later change of the writing is never
 * served in place of what the code of the day would write.
 */
import type { CalendarDataRequest } from '../../formats/ical/calendar-data.js';
import { loneEventExpansion } from '../../formats/ical/instance-text.js';
import type { ObjectsReader } from '../../store/store.js';
import type { Resource } from '../../store/types.js';
import { loneExpandedSpan, loneSpan, type ObjectKey } from './object-cache.js';

/** The form of the stored text: its first line. Change it with `loneEventExpansion`'s output. */
const FORM = 'lone-expansion 1';

const decoder = new TextDecoder();

/** What to store for an object written with body `stored` and these index columns; null for none. */
export function expandedTextToStore(stored: Uint8Array, index: Omit<ObjectKey, 'id' | 'etag'>): string | null {
  const span = loneSpan({ id: 0, etag: '', ...index });
  const text = span ? loneEventExpansion(decoder.decode(stored), span.start, span.end) : null;
  return text === null ? null : `${FORM}\n${text}`;
}

/**
 * The expand answers `req` can take from the store for `members` (by id): a lone event whose
 * instance overlaps the expand range (object-cache.ts `loneExpandedSpan`, the test the
 * expansion from the body makes) and whose text was stored for the version the caller holds.
 */
export async function storedExpansions(
  store: Pick<ObjectsReader, 'readExpandedTexts'>,
  members: readonly Resource[],
  req: CalendarDataRequest,
): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  const lone = members.filter((m) => loneExpandedSpan(m, req) !== null);
  if (lone.length === 0) return out;
  const etags = new Map(lone.map((m) => [m.id, m.etag]));
  for (const [id, { etag, text }] of await store.readExpandedTexts(lone.map((m) => m.id))) {
    if (etags.get(id) === etag && text.startsWith(`${FORM}\n`)) out.set(id, text.slice(FORM.length + 1));
  }
  return out;
}
