import { fromJcard } from './jcard.js';
import { first, type VCard } from './model.js';
import { unescapeText } from './text.js';

/**
 * The UID of one card's text without parsing the whole card (import splits files of
 * thousands): the first unfolded `UID` line, its escapes undone; undefined when there is none.
 */
export function uidOf(text: string): string | undefined {
  const m = /(?:^|\n)UID(?:;[^:\r\n]*)?:([^\r\n]*(?:\r?\n[ \t][^\r\n]*)*)/i.exec(text);
  if (!m) return undefined;
  const uid = unescapeText((m[1] ?? '').replace(/\r?\n[ \t]/g, '')).trim();
  return uid === '' ? undefined : uid;
}

/** The UID of a parsed card (RFC 6350 §6.7.6), unescaped and trimmed; undefined when it has none. */
export function uidOfCard(card: VCard): string | undefined {
  const uid = first(card, 'UID');
  return uid ? unescapeText(uid.value).trim() || undefined : undefined;
}

const decoder = new TextDecoder();

/**
 * The UID a vCard or jCard body names, read before the body is validated (the write path locks
 * it: store/capabilities/member-lock.ts); undefined for any other body, or one naming none.
 */
export function cardUidOf(body: Uint8Array): string | undefined {
  const head = decoder.decode(body.subarray(0, 64));
  if (/^\uFEFF?\s*BEGIN:VCARD/i.test(head)) return uidOf(decoder.decode(body));
  if (!/^\uFEFF?\s*\[/.test(head)) return undefined;
  try {
    return uidOfCard(fromJcard(decoder.decode(body)));
  } catch {
    return undefined; // no jCard: the write's validation says why
  }
}
