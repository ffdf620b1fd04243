import { uidOf } from './uid.js';

export interface CardWithUid {
  /** The card's text, with a UID line added when it had none. */
  readonly card: string;
  readonly uid: string;
  /** Whether the UID was made here. */
  readonly generated: boolean;
}

/**
 * A card as an import stores it: with its own UID, or, lacking one, a new one added before
 * END:VCARD. The value is valid in the card's version: vCard 4.0 wants a URI (RFC 6350 §6.7.6,
 * `urn:uuid:`), vCard 3.0 text (RFC 2426 §3.6.7). Every other line is kept as it was. Used by
 * both `almanac import` and the web app's import, so both behave the same.
 */
export function ensureUid(card: string, newId: () => string = () => globalThis.crypto.randomUUID()): CardWithUid {
  const uid = uidOf(card);
  if (uid !== undefined) return { card, uid, generated: false };
  card = card.replace(/(^|\n)UID(?:;[^:\r\n]*)?:[ \t]*\r?\n/gi, '$1'); // an empty UID is none
  const v4 = /(?:^|\n)VERSION(?:;[^:\r\n]*)?:\s*4\.0\s*(?:\r?\n)/i.test(card);
  const made = v4 ? `urn:uuid:${newId()}` : newId();
  const eol = card.includes('\r\n') ? '\r\n' : '\n';
  const at = /END:VCARD\s*$/i.exec(card);
  if (!at) return { card, uid: made, generated: true };
  const before = card.slice(0, at.index);
  return {
    card: `${before}${before.endsWith('\n') ? '' : eol}UID:${made}${eol}${card.slice(at.index)}`,
    uid: made,
    generated: true,
  };
}

/** The line an import summary adds when it made UIDs: the same words on the command line and in the web app. */
export function generatedUidsNote(count: number): string {
  if (count === 0) return '';
  return count === 1
    ? '1 contact had no UID; one was generated.'
    : `${count} contacts had no UID; one was generated for each.`;
}
