/**
 * Text search over a calendar object: which events and tasks (RFC 5545 §3.6.1, §3.6.2) have
 * the words asked for in their SUMMARY, LOCATION, DESCRIPTION or CATEGORIES. Values are compared
 * unescaped (ical.js reads TEXT, §3.3.11), case- and accent-insensitively; every word must occur.
 */
import type { IcalComponent } from './ical.js';

export interface TextHit {
  readonly kind: 'event' | 'task';
  readonly uid: string;
  readonly title: string;
  /** RECURRENCE-ID (iCalendar text) when the hit is an overridden instance, else null. */
  readonly recurrenceId: string | null;
}

const FIELDS = ['summary', 'location', 'description', 'categories'];
/** Longest query considered (a search box, not a document). */
const MAX_QUERY = 200;

/** Lower case without diacritics: "Café" finds "cafe". */
export function foldText(s: string): string {
  return s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/** The words of a query (folded); empty for a blank one. */
export function queryWords(query: string): string[] {
  return foldText(query.slice(0, MAX_QUERY)).split(/\s+/).filter(Boolean);
}

function textOf(c: IcalComponent): string {
  const parts: string[] = [];
  for (const name of FIELDS)
    for (const p of c.getAllProperties(name)) for (const v of p.getValues()) parts.push(String(v));
  return foldText(parts.join('\n'));
}

/** The events and tasks of a VCALENDAR whose text holds every word. */
export function searchCalendarObject(root: IcalComponent, words: readonly string[]): TextHit[] {
  if (words.length === 0) return [];
  const out: TextHit[] = [];
  for (const [name, kind] of [
    ['vevent', 'event'],
    ['vtodo', 'task'],
  ] as const) {
    for (const c of root.getAllSubcomponents(name)) {
      const text = textOf(c);
      if (!words.every((w) => text.includes(w))) continue;
      const rid = c.getFirstPropertyValue('recurrence-id');
      out.push({
        kind,
        uid: String(c.getFirstPropertyValue('uid') ?? ''),
        title: String(c.getFirstPropertyValue('summary') ?? ''),
        recurrenceId: rid ? String(rid) : null,
      });
    }
  }
  return out;
}
