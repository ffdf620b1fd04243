/**
 * Memoised UTC offsets of VTIMEZONE local times.
 *
 * ical.js builds a new Timezone for every parsed object (one per VTIMEZONE and parse), and the
 * first offset it asks of it expands the zone's STANDARD/DAYLIGHT rules from their DTSTART
 * (often 1970) up to the year asked; then each conversion clones and compares transitions. For
 * a query that parses hundreds of objects sharing a handful of zones that is most of the CPU.
 *
 * `Timezone.prototype.utcOffset(localTime)` depends only on the zone's definition and the local
 * time's fields (year…second), so its answers are kept in a bounded LRU keyed by (the VTIMEZONE's
 * jCal text, local time). Zones without a component (UTC, floating, a bare TZID) are not cached.
 * The answer is the one ical.js computes the first time, so every caller (toMs, recurrence
 * expansion, validation, expand) sees the same values as without the cache.
 */

/** A bounded least-recently-used map. */
export class Lru<K, V> {
  private readonly map = new Map<K, V>();
  constructor(readonly max: number) {}

  get(key: K): V | undefined {
    const v = this.map.get(key);
    if (v !== undefined) {
      this.map.delete(key);
      this.map.set(key, v);
    }
    return v;
  }

  set(key: K, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.max) {
      const oldest = this.map.keys().next();
      if (!oldest.done) this.map.delete(oldest.value);
    }
  }

  get size(): number {
    return this.map.size;
  }

  clear(): void {
    this.map.clear();
  }
}

interface LocalTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

interface ZoneLike {
  component?: { toJSON(): unknown } | null;
  utcOffset(tt: LocalTime): number;
}

/** Most (zone, local time) offsets kept; ~100 bytes each. */
export const ZONE_OFFSET_ENTRIES = 50_000;
/** Most distinct VTIMEZONE definitions given a short id. */
const ZONE_DEFINITIONS = 1_000;

const offsets = new Lru<string, number>(ZONE_OFFSET_ENTRIES);
const definitionIds = new Lru<string, number>(ZONE_DEFINITIONS);
let nextDefinitionId = 0;
/** Per Timezone object: the id of its definition, or null when it has none to key on. */
const zoneIds = new WeakMap<object, number | null>();

export const zoneCacheStats = { hits: 0, misses: 0 };

function zoneId(zone: ZoneLike): number | null {
  let id = zoneIds.get(zone);
  if (id !== undefined) return id;
  id = null;
  const c = zone.component;
  if (c && typeof c.toJSON === 'function') {
    const text = JSON.stringify(c.toJSON());
    id = definitionIds.get(text) ?? null;
    if (id === null) {
      id = nextDefinitionId++;
      definitionIds.set(text, id);
    }
  }
  zoneIds.set(zone, id);
  return id;
}

let installed = false;

/** Wrap `Timezone.prototype.utcOffset` with the memo (once per process). */
export function memoiseZoneOffsets(Timezone: { prototype: ZoneLike; utcTimezone: unknown; localTimezone: unknown }): void {
  if (installed) return;
  installed = true;
  const original = Timezone.prototype.utcOffset;
  Timezone.prototype.utcOffset = function utcOffset(this: ZoneLike, tt: LocalTime): number {
    if (this === Timezone.utcTimezone || this === Timezone.localTimezone) return original.call(this, tt);
    const id = zoneId(this);
    if (id === null) return original.call(this, tt);
    const key = `${id}|${tt.year}|${tt.month}|${tt.day}|${tt.hour}|${tt.minute}|${tt.second}`;
    const hit = offsets.get(key);
    if (hit !== undefined) {
      zoneCacheStats.hits += 1;
      return hit;
    }
    zoneCacheStats.misses += 1;
    const value = original.call(this, tt);
    offsets.set(key, value);
    return value;
  };
}

/** Forget every memoised offset (tests). */
export function clearZoneCache(): void {
  offsets.clear();
}
