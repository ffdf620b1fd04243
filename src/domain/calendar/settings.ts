/**
 * A calendar collection's settings and the limits every writer of calendar objects meets
 * (RFC 4791 §5.2.3 supported-calendar-component-set, §5.2.5 max-resource-size, §5.2.6–7
 * min/max-date-time, §5.2.8 max-instances; §5.2.2 calendar-timezone). CalDAV PUT, COPY/MOVE,
 * `almanac import` and SyncML all read them here, so they refuse the same objects.
 */
import type { IcalTimezone } from '../../formats/ical/ical.js';
import { parseUtcDateTime, timezoneFromCalendar } from '../../formats/ical/time.js';
import type { Lru } from '../../formats/lru.js';
import type { ObjectsReader } from '../../store/store.js';
import type { Resource } from '../../store/types.js';
import type { CalendarLimits } from './object.js';
import { elements, textOf } from '../../xml/element.js';
import { parseXml } from '../../xml/parse.js';

const CALDAV_NS = 'urn:ietf:params:xml:ns:caldav';
const caldavName = (local: string): string => `{${CALDAV_NS}}${local}`;

/**
 * Every component a calendar may be created for, and what one created without a set accepts.
 * RFC 4791 §5.2.3: "In the absence of this property, the server MUST accept all component
 * types" — Evolution's and Apple's memos (VJOURNAL) go into the default calendar; a set is kept
 * only when the client asked for one at MKCALENDAR / extended MKCOL.
 */
export const SUPPORTED_COMPONENTS = ['VEVENT', 'VTODO', 'VJOURNAL', 'VFREEBUSY', 'VAVAILABILITY'] as const;
export const MIN_DATE_TIME = '19000101T000000Z';
export const MAX_DATE_TIME = '21001231T235959Z';
export const MAX_INSTANCES = 10_000;
export const MAX_RESOURCE_SIZE = 10 * 1024 * 1024;

/** The collection-level settings that live in its properties. */
export interface CalendarSettings {
  readonly components: readonly string[];
  /** The CALDAV:calendar-timezone text, if set. */
  readonly timezone: string | null;
}

export async function calendarSettings(reader: ObjectsReader, coll: Resource): Promise<CalendarSettings> {
  const props = await reader.getProperties(coll.id);
  const find = (name: string): string | undefined => props.find((p) => p.name === name)?.xml;
  const compXml = find(caldavName('supported-calendar-component-set'));
  const components = compXml
    ? elements(parseXml(compXml), caldavName('comp')).map((c) => (c.attrs['{}name'] ?? '').toUpperCase())
    : [...SUPPORTED_COMPONENTS];
  const tzXml = find(caldavName('calendar-timezone'));
  const timezone = tzXml ? textOf(parseXml(tzXml)).trim() || null : null;
  return { components, timezone };
}

/** A calendar's floating zone as `floatingZoneOf` keeps it (null: floating read as UTC). */
export interface KeptFloatingZone {
  readonly zone: IcalTimezone | null;
}

/**
 * A calendar's floating-time zone (RFC 4791 §5.2.2), or null (floating read as UTC), for a read,
 * kept in `kept` (the server's `floating-zones` cache, domain/caches.ts) by the state of the
 * collection it was read from: its id, creation time, path and metaSeq. Every change of a
 * collection's dead properties moves its metaSeq in the same transaction (store
 * `patchProperties`), so a key never names other properties than those it was read with, on any
 * node; the creation time and path tell apart a collection that took over a deleted one's id.
 * Issue #20: a query then reads no properties and parses no VTIMEZONE of an unchanged calendar.
 * Only read paths use it, with the committed state they read (a transaction's own uncommitted
 * properties are never kept).
 */
export async function floatingZoneOf(
  reader: ObjectsReader,
  coll: Resource,
  kept: Lru<string, KeptFloatingZone>,
): Promise<IcalTimezone | null> {
  const key = `${coll.id}|${coll.createdAt}|${coll.metaSeq}|${coll.path}`;
  const hit = kept.get(key);
  if (hit) return hit.zone;
  const { timezone } = await calendarSettings(reader, coll);
  let zone: IcalTimezone | null;
  try {
    zone = timezone ? timezoneFromCalendar(timezone) : null;
  } catch {
    zone = null; // an unreadable calendar-timezone: floating times are read as UTC
  }
  kept.set(key, { zone }, 256 + 2 * (timezone?.length ?? 0));
  return zone;
}

// Parsed once: every write reads them (issue #20: parsed twice per object of an import).
const MIN_DATE_TIME_MS = parseUtcDateTime(MIN_DATE_TIME) ?? undefined;
const MAX_DATE_TIME_MS = parseUtcDateTime(MAX_DATE_TIME) ?? undefined;

/** The limits of a calendar for any writer (PUT, COPY/MOVE, `almanac import`, SyncML). */
export function limitsWithin(settings: CalendarSettings, maxUploadBytes: number): CalendarLimits {
  return {
    components: settings.components,
    minDateTime: MIN_DATE_TIME_MS,
    maxDateTime: MAX_DATE_TIME_MS,
    maxResourceSize: Math.min(MAX_RESOURCE_SIZE, maxUploadBytes),
    maxInstances: MAX_INSTANCES,
  };
}
