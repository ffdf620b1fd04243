/**
 * Attendee suggestions from the user's address books: every EMAIL of every card held in the
 * app's cache, with the contact's name. Each card is read once per ETag and remembered, so typing
 * in the attendee field does not parse 50,000 cards per key.
 */
import { cardAddresses, type CardAddress } from '../../../src/formats/vcard/email-addresses.js';
import type { Person } from '../../../src/formats/ical/participants.js';
import type { AppState } from '../state.js';

const seen = new Map<string, { etag: string; addresses: CardAddress[] }>();

function addressesOf(key: string, etag: string, data: string): CardAddress[] {
  const known = seen.get(key);
  if (known && known.etag === etag && etag) return known.addresses;
  const addresses = cardAddresses(data);
  seen.set(key, { etag, addresses });
  return addresses;
}

/** Contacts whose name or address contains `q` (case folded), at most `limit`, names first. */
export function suggestAddresses(state: AppState, q: string, limit = 8): Person[] {
  const needle = q.toLocaleLowerCase();
  const out: Person[] = [];
  const emails = new Set<string>();
  for (const col of state.collections) {
    if (col.dav.kind !== 'addressbook') continue;
    for (const [href, obj] of col.objects) {
      for (const a of addressesOf(`${col.key}\n${href}`, obj.etag, obj.data)) {
        if (emails.has(a.email.toLowerCase())) continue;
        if (!a.name.toLocaleLowerCase().includes(needle) && !a.email.toLowerCase().includes(needle)) continue;
        emails.add(a.email.toLowerCase());
        out.push(a);
        if (out.length >= limit) return out;
      }
    }
  }
  return out;
}
