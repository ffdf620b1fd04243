/**
 * Time zones as cache keys, and memoised UTC offsets of VTIMEZONE local times.
 *
 * ical.js builds a new Timezone for every parsed object (one per VTIMEZONE and parse), and the
 * first offset it asks of one expands the zone's STANDARD/DAYLIGHT rules from their DTSTART
 * (often 1970) up to the year asked; then each conversion searches and compares transitions. A
 * query that reads hundreds of objects sharing a handful of zones would spend most of its CPU
 * there. The UTC offset of a local time depends only on the zone's definition and the time's
 * fields (year…second), so `utcMs` keeps the answers in a bounded LRU keyed by (the zone's
 * definition id, local time). The value is the one ical.js computes the first time, so every
 * caller sees the same instants as without the memo. ical.js itself is not altered: its own
 * internal conversions (inside recurrence iteration) ask the zone directly.
 */
import { Lru, type CacheStats } from '../lru.js';
import type { IcalTime, IcalTimezone } from './ical.js';

/** Most (zone, local time) offsets kept; ~100 bytes each. */
export const ZONE_OFFSET_ENTRIES = 50_000;
/** Most distinct VTIMEZONE definitions given an id; ids are never reused, so an evicted one only costs misses. */
const ZONE_DEFINITIONS = 1_000;

const offsets = new Lru<string, number>({ maxEntries: ZONE_OFFSET_ENTRIES });
const definitionIds = new Lru<string, number>({ maxEntries: ZONE_DEFINITIONS });
let nextDefinitionId = 0;
/** Per Timezone object: its key (computed once per object). */
const zoneKeys = new WeakMap<object, string>();

/**
 * The one key of a time zone for caches: `d<n>` for a VTIMEZONE definition (equal definitions,
 * equal keys, whichever object holds them), `z<tzid>` for a zone without one (UTC, floating),
 * `-` for none.
 */
export function zoneKey(zone: IcalTimezone | null | undefined): string {
  if (!zone) return '-';
  let key = zoneKeys.get(zone);
  if (key !== undefined) return key;
  const c = (zone as { component?: { toJSON(): unknown } | null }).component;
  if (c && typeof c.toJSON === 'function') {
    const text = JSON.stringify(c.toJSON());
    let id = definitionIds.get(text);
    if (id === undefined) {
      id = nextDefinitionId++;
      definitionIds.set(text, id);
    }
    key = `d${id}`;
  } else key = `z${String(zone.tzid)}`;
  zoneKeys.set(zone, key);
  return key;
}

/** The UTC offset, in seconds, of local time `t` in `zone` (memoised for VTIMEZONE definitions). */
function utcOffset(t: IcalTime, zone: IcalTimezone): number {
  const id = zoneKey(zone);
  if (!id.startsWith('d')) return zone.utcOffset(t);
  const key = `${id}|${t.year}|${t.month}|${t.day}|${t.hour}|${t.minute}|${t.second}`;
  let value = offsets.get(key);
  if (value === undefined) {
    value = zone.utcOffset(t);
    offsets.set(key, value);
  }
  return value;
}

/**
 * The instant of `t`'s local fields read in `zone` (default: `t`'s own), in ms since the epoch:
 * what ical.js's `toUnixTime` gives, through the memo.
 */
export function utcMs(t: IcalTime, zone: IcalTimezone | null = t.zone): number {
  const offset = zone ? utcOffset(t, zone) : 0;
  return Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second - offset);
}

/** Hits, misses, evictions and fill of the offset memo (domain/caches.ts reports it). */
export function zoneOffsetStats(): CacheStats {
  return offsets.stats();
}

/** Forget every memoised offset (tests). */
export function clearZoneOffsets(): void {
  offsets.clear();
}
