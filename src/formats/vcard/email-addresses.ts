/**
 * The e-mail addresses a card offers for an invitation (vCard EMAIL, RFC 6350 §6.4.2), each with
 * the contact's display name: what the event editor suggests as attendees.
 */
import { displayNameOf } from './anniversaries.js';
import { all } from './model.js';
import { parseVcard } from './parse.js';
import { unescapeText } from './text.js';

export interface CardAddress {
  readonly name: string;
  readonly email: string;
}

/** Every EMAIL of the card with its display name; none for an unreadable card or a group. */
export function cardAddresses(text: string): CardAddress[] {
  let card;
  try {
    card = parseVcard(text);
  } catch {
    return [];
  }
  const name = displayNameOf(card);
  return all(card, 'EMAIL')
    .map((p) =>
      unescapeText(p.value)
        .trim()
        .replace(/^mailto:/i, ''),
    )
    .filter((email) => /^[^\s@]+@[^\s@]+$/.test(email))
    .map((email) => ({ name, email }));
}
