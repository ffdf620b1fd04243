import { parseCalendar } from '../../../src/formats/ical/edit-time.js';
import type { IcalComponent } from '../../../src/formats/ical/ical.js';
import { intlZone } from '../../../src/formats/ical/intl-zones.js';
import { remindersBetween, type Reminder } from '../../../src/formats/ical/reminders.js';
import type { AppState } from '../state.js';
import { displayZone } from '../views/display-zone.js';

/** How far ahead reminders are scheduled; the plan is renewed every REPLAN_MS and on every change. */
const WINDOW_MS = 24 * 3600_000;
const REPLAN_MS = 3600_000;
/** A reminder this late (the tab was busy, the plan was being renewed) still shows. */
const GRACE_MS = 60_000;
/** Work in slices of this long, then let the page breathe (a long series is walked from its start). */
const SLICE_MS = 15;
/** Fired reminder keys kept for the session (sessionStorage): a reload does not fire them again. */
const FIRED_KEY = 'almanac.reminders.fired';
const MAX_FIRED = 1000;

interface Cached {
  etag: string;
  from: number;
  to: number;
  reminders: Reminder[];
}

/**
 * Schedules the next 24 hours' reminders of every visible calendar and task list while the app
 * is open (Web Push when it is closed is another piece of work), renews the plan when
 * collections change (`state.on`), and hands each due reminder to `notify` once per session.
 */
export class ReminderScheduler {
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly cache = new Map<string, Cached>();
  private readonly fired: Set<string>;
  private generation = 0;
  private debounce: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly state: AppState,
    private readonly notify: (r: Reminder) => void,
  ) {
    this.fired = new Set(readFired());
    state.on(() => {
      clearTimeout(this.debounce);
      this.debounce = setTimeout(() => void this.plan(), 200);
    });
    setInterval(() => void this.plan(), REPLAN_MS);
  }

  /** How many reminders are waiting (tests and the bell read it). */
  get pending(): number {
    return this.timers.size;
  }

  /** Work out the next 24 hours again and set a timer for each reminder not yet shown. */
  async plan(): Promise<void> {
    const gen = ++this.generation;
    const now = Date.now();
    const zone = displayZone();
    const floating = intlZone(zone);
    const found: Reminder[] = [];
    let slice = performance.now();
    const seen = new Set<string>();
    for (const col of this.state.calendars()) {
      if (!col.visible) continue;
      for (const obj of col.objects.values()) {
        if (!obj.data.includes('VALARM')) continue;
        const key = `${col.key}|${obj.href}`;
        if (seen.has(key)) continue;
        seen.add(key);
        let hit = this.cache.get(key);
        if (!hit || hit.etag !== obj.etag || hit.from > now - GRACE_MS || hit.to < now + WINDOW_MS) {
          const from = now - GRACE_MS;
          const to = now + WINDOW_MS + REPLAN_MS;
          let reminders: Reminder[] = [];
          try {
            const vcal: IcalComponent = parseCalendar(obj.data);
            reminders = remindersBetween(vcal, from, to, floating);
          } catch (err) {
            console.warn(`reminders of ${key}:`, (err as Error).message);
          }
          this.cache.set(key, (hit = { etag: obj.etag, from, to, reminders }));
        }
        found.push(...hit.reminders.filter((r) => r.at >= now - GRACE_MS && r.at < now + WINDOW_MS));
        if (performance.now() - slice > SLICE_MS) {
          await new Promise((r) => setTimeout(r, 0));
          if (gen !== this.generation) return; // a newer plan has started
          slice = performance.now();
        }
      }
    }
    if (gen !== this.generation) return;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    const later = Date.now();
    for (const r of found) {
      if (this.fired.has(r.key) || this.timers.has(r.key)) continue;
      this.timers.set(
        r.key,
        setTimeout(() => this.fire(r), Math.max(0, r.at - later)),
      );
    }
  }

  private fire(r: Reminder): void {
    this.timers.delete(r.key);
    if (this.fired.has(r.key)) return;
    this.fired.add(r.key);
    writeFired([...this.fired].slice(-MAX_FIRED));
    this.notify(r);
  }
}

function readFired(): string[] {
  try {
    const v: unknown = JSON.parse(sessionStorage.getItem(FIRED_KEY) ?? '[]');
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

function writeFired(keys: string[]): void {
  try {
    sessionStorage.setItem(FIRED_KEY, JSON.stringify(keys));
  } catch {
    // storage full or denied: the in-memory set still holds for this page
  }
}
