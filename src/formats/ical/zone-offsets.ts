/**
 * Time zones as cache keys, one shared Timezone per VTIMEZONE definition, and memoised UTC
 * offsets of local times.
 *
 * Left to itself, ical.js builds a new Timezone for every parsed object (one per VTIMEZONE and
 * parse), and the first offset it asks of one expands the zone's STANDARD/DAYLIGHT rules from
 * their DTSTART (often 1970) up to the year asked; then each conversion searches and compares
 * transitions — inside recurrence iteration too (UNTIL and week-number checks compare times). A
 * query that reads hundreds of objects sharing a handful of zones would spend most of its CPU
 * there. So, without altering ical.js:
 *
 * - a VCALENDAR we parse is a `ZonedCalendar` (parse.ts), whose TZID lookup (the
 *   `Component.getTimeZoneByID` every DATE-TIME with a TZID asks, RFC 5545 §3.2.19) returns
 *   one `SharedZone` per distinct VTIMEZONE definition, whoever parsed it;
 * - a `SharedZone` answers `utcOffset(local time)` from a bounded LRU keyed by (its definition
 *   id, year…second): the offset depends on nothing else. The value is the one ical.js computes
 *   the first time, so every caller sees the same instants as without the memo.
 */
import { Lru, type CacheStats } from '../lru.js';
import { ICAL, type IcalComponent, type IcalTime, type IcalTimezone } from './ical.js';

/** Most (zone, local time) offsets kept; ~100 bytes each. */
const ZONE_OFFSET_ENTRIES = 50_000;
/** Most distinct VTIMEZONE definitions given an id and a shared zone; ids are never reused, so an evicted one only costs misses. */
const ZONE_DEFINITIONS = 1_000;

const offsets = new Lru<number | string, number>({ maxEntries: ZONE_OFFSET_ENTRIES });
const definitionIds = new Lru<string, number>({ maxEntries: ZONE_DEFINITIONS });
const sharedZones = new Lru<string, SharedZone>({ maxEntries: ZONE_DEFINITIONS });
let nextDefinitionId = 0;
/** Per Timezone object: its key and its definition's id (computed once per object). */
const zoneKeys = new WeakMap<object, string>();
const zoneDefinitions = new WeakMap<object, number | null>();

/** A VTIMEZONE definition's identity: its jCal text (equal text, equal zone). */
export function definitionText(component: { toJSON(): unknown }): string {
  return JSON.stringify(component.toJSON());
}

function definitionId(text: string): number {
  let id = definitionIds.get(text);
  if (id === undefined) {
    id = nextDefinitionId++;
    definitionIds.set(text, id);
  }
  return id;
}

/**
 * The one key of a time zone for caches: `d<n>` for a VTIMEZONE definition (equal definitions,
 * equal keys, whichever object holds them), `z<tzid>` for a zone without one (UTC, floating),
 * `-` for none.
 */
export function zoneKey(zone: IcalTimezone | null | undefined): string {
  if (!zone) return '-';
  let key = zoneKeys.get(zone);
  if (key !== undefined) return key;
  const id = definitionOf(zone);
  key = id !== null ? `d${id}` : `z${String(zone.tzid)}`;
  zoneKeys.set(zone, key);
  return key;
}

/** The definition id of a zone with a VTIMEZONE definition (null: none, e.g. UTC), computed once per Timezone object. */
function definitionOf(zone: IcalTimezone): number | null {
  let id = zoneDefinitions.get(zone);
  if (id === undefined) {
    const c = (zone as { component?: { toJSON(): unknown } | null }).component;
    id = c && typeof c.toJSON === 'function' ? definitionId(definitionText(c)) : null;
    zoneDefinitions.set(zone, id);
  }
  return id;
}

/** Local times of years 0…9999 numbered below this (offsetKey), so that a definition id fits beside one in a double. */
const LOCAL_TIMES = 2 ** 39;
/** Definition ids below this make numeric keys (2^53 / LOCAL_TIMES); later ones a text key. */
const NUMERIC_IDS = 2 ** 14;

/**
 * The memo's key of (definition `id`, local time `t`): a number when it can be one, else text
 * (issue #20: a text key is built and hashed on every lookup; in a microbenchmark of a memo of
 * 20,000 entries, 1.4 µs a lookup against 0.1 µs with a number). The local time is numbered by
 * its fields, one to one for fields in their ranges (not an instant: 13 months, 32 days a month).
 */
function offsetKey(id: number, t: IcalTime): number | string {
  const { year, month, day, hour, minute, second } = t;
  if (
    id < NUMERIC_IDS &&
    year >= 0 &&
    year <= 9999 &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= 31 &&
    hour >= 0 &&
    hour <= 23 &&
    minute >= 0 &&
    minute <= 59 &&
    second >= 0 &&
    second <= 59
  )
    return id * LOCAL_TIMES + ((year * 13 + month) * 32 + day) * 86_400 + hour * 3600 + minute * 60 + second;
  return `${id}|${t.year}|${t.month}|${t.day}|${t.hour}|${t.minute}|${t.second}`;
}

/** The memoised UTC offset, in seconds, of local time `t` in `zone`; `compute` asks ical.js. */
function memoisedOffset(zone: IcalTimezone, t: IcalTime, compute: () => number): number {
  const id = definitionOf(zone);
  if (id === null) return compute();
  const key = offsetKey(id, t);
  let value = offsets.get(key);
  if (value === undefined) {
    value = compute();
    offsets.set(key, value);
  }
  return value;
}

/** A VTIMEZONE's Timezone, shared by every parse of the same definition, with memoised offsets. */
class SharedZone extends ICAL.Timezone {
  override utcOffset(tt: IcalTime): number {
    return memoisedOffset(this, tt, () => super.utcOffset(tt));
  }
}

/**
 * The shared zone of a VTIMEZONE component, made the first time its definition is seen from a
 * copy of it (a tree edited later, as the web app's forms do, does not change the shared zone).
 */
export function sharedZone(component: IcalComponent, tzid?: string): IcalTimezone {
  const text = definitionText(component);
  let zone = sharedZones.get(text);
  if (!zone) {
    const copy = new ICAL.Component(JSON.parse(text) as never);
    zone = new SharedZone(tzid === undefined ? { component: copy } : { component: copy, tzid });
    zoneDefinitions.set(zone, definitionId(text)); // its key follows from it (zoneKey)
    sharedZones.set(text, zone);
  }
  return zone;
}

/** A parsed VCALENDAR whose TZIDs resolve to shared zones (parse.ts makes every root one). */
export class ZonedCalendar extends ICAL.Component {
  private readonly zonesByTzid = new Map<string, IcalTimezone>();

  /** RFC 5545 §3.2.19: a TZID names a VTIMEZONE of the same iCalendar object. */
  override getTimeZoneByID(tzid: string): IcalTimezone {
    if (this.parent) return super.getTimeZoneByID(tzid);
    let zone = this.zonesByTzid.get(tzid);
    if (zone === undefined) {
      const c = this.getAllSubcomponents('vtimezone').find((z) => z.getFirstPropertyValue('tzid') === tzid);
      // None (yet: a form may add it): ical.js's own lookup answers null too, and keeps no miss.
      if (!c) return null as unknown as IcalTimezone;
      zone = sharedZone(c, tzid);
      this.zonesByTzid.set(tzid, zone);
    }
    return zone;
  }
}

/**
 * The instant of `t`'s local fields read in `zone` (default: `t`'s own), in ms since the epoch:
 * what ical.js's `toUnixTime` gives, through the memo.
 */
export function utcMs(t: IcalTime, zone: IcalTimezone | null = t.zone): number {
  // A shared zone memoises its own answers; any other zone with a definition goes through the memo here.
  const offset = !zone
    ? 0
    : zone instanceof SharedZone
      ? zone.utcOffset(t)
      : memoisedOffset(zone, t, () => zone.utcOffset(t));
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
