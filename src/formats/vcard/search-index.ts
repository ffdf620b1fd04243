import type { VCard, VProperty } from './model.js';
import { unescapeText, unicodeFold } from './text.js';

/**
 * The vCard properties kept in the search index (RFC 6352 §8.6 filters on them most): a
 * `text-match` on one of these can be prefiltered without reading the cards.
 */
export const INDEXED_PROPERTIES: ReadonlySet<string> = new Set([
  'FN',
  'N',
  'NICKNAME',
  'EMAIL',
  'TEL',
  'ORG',
  'UID',
  'CATEGORIES',
]);

/** The text a text-match compares against: the value with its escapes undone. */
export function matchText(p: VProperty): string {
  return unescapeText(p.value);
}

/** Index entries of a card: one per indexed property instance, folded with i;unicode-casemap. */
export function searchEntries(card: VCard): { prop: string; value: string }[] {
  const out: { prop: string; value: string }[] = [];
  const seen = new Set<string>();
  for (const p of card.properties) {
    if (!INDEXED_PROPERTIES.has(p.name)) continue;
    const value = unicodeFold(matchText(p));
    const key = `${p.name}\u0000${value}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ prop: p.name, value });
  }
  return out;
}
