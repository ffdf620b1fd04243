/**
 * Database names phones use (issue #5) → the user's collections. `./contacts`, `card`… map to
 * the default address book; `./calendar`, `event`… to the events of the default calendar;
 * `./tasks`, `todo`… to its tasks. A device may have operator routes (`almanac syncml route`).
 */
import type { ItemKind } from './ports.js';

export interface Datastore {
  /** Server datastore key: collection path plus component, e.g. `/calendars/alice/default#VTODO`. */
  readonly key: string;
  readonly collection: string;
  /** VCARD, VEVENT or VTODO. */
  readonly component: 'VCARD' | 'VEVENT' | 'VTODO';
  readonly kind: ItemKind;
}

const CONTACTS = ['contacts', 'addressbook', 'card', 'contact', 'vcard'];
const CALENDAR = ['calendar', 'event', 'cal', 'events'];
const TASKS = ['tasks', 'todo', 'task', 'todos'];

/** Normalise a database URI: strip `./`, a query, trailing slashes; lower case. */
export function normaliseDbUri(uri: string): string {
  let u = uri.trim();
  const q = u.indexOf('?');
  if (q >= 0) u = u.slice(0, q);
  u = u.replace(/^\.\//, '').replace(/\/+$/, '');
  // An absolute URI naming our server: keep the last segment.
  if (/^[a-z]+:\/\//i.test(u)) u = u.slice(u.lastIndexOf('/') + 1);
  return u.toLowerCase();
}

export type Routes = Readonly<Record<string, string>>;

/** Resolve a database URI for a user; null for an unknown name (→ status 404). */
export function resolveDatastore(userName: string, uri: string, routes: Routes = {}): Datastore | null {
  const name = normaliseDbUri(uri);
  const routed = routes[name];
  if (routed) {
    const [collection, comp] = routed.split('#') as [string, string | undefined];
    const component = collection.startsWith('/addressbooks/') ? 'VCARD' : comp === 'VTODO' ? 'VTODO' : 'VEVENT';
    return { key: `${collection}#${component}`, collection, component, kind: component === 'VCARD' ? 'vcard' : 'ical' };
  }
  if (CONTACTS.includes(name)) {
    const collection = `/addressbooks/${userName}/default`;
    return { key: `${collection}#VCARD`, collection, component: 'VCARD', kind: 'vcard' };
  }
  if (CALENDAR.includes(name)) {
    const collection = `/calendars/${userName}/default`;
    return { key: `${collection}#VEVENT`, collection, component: 'VEVENT', kind: 'ical' };
  }
  if (TASKS.includes(name)) {
    const collection = `/calendars/${userName}/default`;
    return { key: `${collection}#VTODO`, collection, component: 'VTODO', kind: 'ical' };
  }
  return null;
}
