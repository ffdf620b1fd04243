import type { VCard, VProperty } from './model.js';
import { unfold } from './parse.js';
import { contentLine, fold } from './write.js';

/**
 * Write `edited`, a card derived from `original` (parsed from `text`), keeping every property
 * it shares with the original exactly as the text had it: the parser upper-cases names
 * (Apple's `item1.X-ABLabel`) and decodes parameters, so writing a kept property from the
 * model would change bytes a client may compare. New or changed properties are written from
 * the model; all lines are folded at 75 octets (RFC 6350 §3.2).
 */
export function rewriteVcard(text: string, original: VCard, edited: VCard): string {
  const lines = unfold(text)
    .map((l) => l.text)
    .filter((l) => !/^(BEGIN|END):VCARD\s*$/i.test(l));
  const raw = new Map<VProperty, string>();
  if (lines.length === original.properties.length)
    original.properties.forEach((p, i) => raw.set(p, lines[i] as string));
  const out = ['BEGIN:VCARD', ...edited.properties.map((p) => fold(raw.get(p) ?? contentLine(p))), 'END:VCARD'];
  return `${out.join('\r\n')}\r\n`;
}
