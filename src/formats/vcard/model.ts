/**
 * The vCard model shared by every vCard helper: a card is its content lines in order, each
 * kept close to the text it came from (RFC 6350 §3.3, RFC 2426 §2.1.3). Values stay in their
 * escaped form so that a card can be written back, filtered (RFC 6352 §10.4.2) or converted
 * between versions without losing anything the client sent.
 */

export interface VParam {
  /** Upper-case parameter name (`TYPE`). */
  readonly name: string;
  /** Decoded values: quotes removed, RFC 6868 caret escapes undone. */
  readonly values: readonly string[];
}

export interface VProperty {
  /** Group prefix (`item1` in `item1.EMAIL`), case kept; null when none. */
  readonly group: string | null;
  /** Upper-case property name. */
  readonly name: string;
  readonly params: readonly VParam[];
  /** The value as written (escapes kept, unfolded). */
  readonly value: string;
}

/** One vCard: its properties between BEGIN:VCARD and END:VCARD (VERSION included). */
export interface VCard {
  readonly properties: readonly VProperty[];
}

export type VcardVersion = '3.0' | '4.0';

export const MEDIA_VCARD = 'text/vcard';
export const MEDIA_JCARD = 'application/vcard+json';

export function prop(name: string, value: string, params: VParam[] = [], group: string | null = null): VProperty {
  return { group, name: name.toUpperCase(), params, value };
}

export function param(p: VProperty, name: string): VParam | undefined {
  const n = name.toUpperCase();
  return p.params.find((x) => x.name === n);
}

export function withoutParam(p: VProperty, name: string): VParam[] {
  const n = name.toUpperCase();
  return p.params.filter((x) => x.name !== n);
}

export function first(card: VCard, name: string): VProperty | undefined {
  const n = name.toUpperCase();
  return card.properties.find((p) => p.name === n);
}

export function all(card: VCard, name: string): VProperty[] {
  const n = name.toUpperCase();
  return card.properties.filter((p) => p.name === n);
}

/** The card's VERSION value ('3.0' when absent or unknown, the common case for old data). */
export function versionOf(card: VCard): string {
  return first(card, 'VERSION')?.value.trim() ?? '';
}
