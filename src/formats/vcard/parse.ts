import type { VCard, VParam, VProperty } from './model.js';

/**
 * A content-line parser for vCard 3.0 (RFC 2426) and 4.0 (RFC 6350).
 *
 * Why not ical.js: its parser decodes every value into typed data, and writing that back
 * changes what the client sent (it rewrites a 3.0 `BDAY:1990-01-02` to
 * `BDAY;VALUE=DATE:19900102`, upper-cases groups and escapes the comma inside a
 * `data:image/jpeg;base64,…` URI, which breaks the photo). CardDAV must keep address data as
 * sent, return only some properties of it (RFC 6352 §10.4.2) and convert between versions
 * property by property, so we keep each line's parameters decoded and its value raw.
 */

export class VcardSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(`line ${line}: ${message}`);
    this.name = 'VcardSyntaxError';
  }
}

/** Unfold (RFC 6350 §3.2): a line break followed by one space or tab continues the line. */
export function unfold(text: string): { text: string; line: number }[] {
  const physical = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  const out: { text: string; line: number }[] = [];
  physical.forEach((l, i) => {
    const last = out[out.length - 1];
    if ((l.startsWith(' ') || l.startsWith('\t')) && last) {
      last.text += l.slice(1);
    } else if (l.trim() !== '') {
      out.push({ text: l, line: i + 1 });
    }
  });
  return out;
}

/** RFC 6868 parameter value decoding: ^n → newline, ^' → ", ^^ → ^. */
function decodeCaret(s: string): string {
  return s.replace(/\^(['n^])/g, (_m, c: string) => (c === 'n' ? '\n' : c === "'" ? '"' : '^'));
}

const NAME = /^[A-Za-z0-9-]+$/;

/**
 * Explicit bounds on one content line (hardening): real clients send a handful of parameters
 * with a few values each (Apple: `TYPE=INTERNET;TYPE=pref`, Outlook: up to ~6); a line with tens
 * of thousands of them is an attack on every later step (conversion, filters, jCard) and is
 * refused as invalid address data. Parsing itself is linear in the line's length.
 */
export const MAX_PARAMETERS_PER_PROPERTY = 64;
export const MAX_PARAMETER_VALUES_PER_PROPERTY = 256;
/** Most content lines in one card (a 10,000-member Apple group card fits). */
export const MAX_PROPERTIES_PER_CARD = 50_000;

/** Index of the first of `chars` at or after `from`, or -1. */
function indexOfAny(text: string, chars: string, from: number): number {
  for (let k = from; k < text.length; k++) {
    if (chars.includes(text[k] as string)) return k;
  }
  return -1;
}

/** Parse one unfolded content line: `[group.]name *(;param) : value`. */
export function parseContentLine(text: string, line: number): VProperty {
  const nameEnd = indexOfAny(text, ';:', 0);
  if (nameEnd < 0) throw new VcardSyntaxError(`no ':' in "${text.slice(0, 40)}"`, line);
  const fullName = text.slice(0, nameEnd);
  const dot = fullName.lastIndexOf('.');
  const group = dot >= 0 ? fullName.slice(0, dot) : null;
  const name = dot >= 0 ? fullName.slice(dot + 1) : fullName;
  if (!NAME.test(name) || (group !== null && !/^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*$/.test(group))) {
    throw new VcardSyntaxError(`invalid property name "${fullName}"`, line);
  }
  let i = nameEnd;
  // Parameters are gathered by name in first-seen order; repeated names merge (`TYPE=a;TYPE=b`).
  const params = new Map<string, string[]>();
  let count = 0;
  let valueCount = 0;
  const add = (pname: string, values: readonly string[]): void => {
    count += 1;
    valueCount += values.length;
    if (count > MAX_PARAMETERS_PER_PROPERTY)
      throw new VcardSyntaxError(`more than ${MAX_PARAMETERS_PER_PROPERTY} parameters on ${name}`, line);
    if (valueCount > MAX_PARAMETER_VALUES_PER_PROPERTY)
      throw new VcardSyntaxError(`more than ${MAX_PARAMETER_VALUES_PER_PROPERTY} parameter values on ${name}`, line);
    const n = pname.toUpperCase();
    const prev = params.get(n);
    if (prev) prev.push(...values);
    else params.set(n, [...values]);
  };
  while (text[i] === ';') {
    i++;
    const eq = indexOfAny(text, '=;:', i);
    if (eq < 0) throw new VcardSyntaxError('unterminated parameter', line);
    const pname = text.slice(i, eq);
    if (!NAME.test(pname)) throw new VcardSyntaxError(`invalid parameter name "${pname}"`, line);
    i = eq;
    if (text[i] !== '=') {
      // vCard 2.1 style bare value (`TEL;CELL:`), still common in 3.0 data: a TYPE value.
      add('TYPE', [pname]);
      continue;
    }
    i++;
    const values: string[] = [];
    for (;;) {
      let v: string;
      if (text[i] === '"') {
        const end = text.indexOf('"', i + 1);
        if (end < 0) throw new VcardSyntaxError('unterminated quoted parameter value', line);
        v = text.slice(i + 1, end);
        i = end + 1;
      } else {
        const end = indexOfAny(text, ';:,', i);
        const stop = end < 0 ? text.length : end;
        v = text.slice(i, stop);
        i = stop;
      }
      values.push(decodeCaret(v));
      if (valueCount + values.length > MAX_PARAMETER_VALUES_PER_PROPERTY) {
        throw new VcardSyntaxError(`more than ${MAX_PARAMETER_VALUES_PER_PROPERTY} parameter values on ${name}`, line);
      }
      if (text[i] === ',') {
        i++;
        continue;
      }
      break;
    }
    add(pname, values);
  }
  if (text[i] !== ':') throw new VcardSyntaxError(`expected ':' after the parameters of ${name}`, line);
  const list: VParam[] = [...params].map(([n, values]) => ({ name: n, values }));
  return { group, name: name.toUpperCase(), params: list, value: text.slice(i + 1) };
}

export interface ParsedVcards {
  readonly cards: VCard[];
  /** Lines outside any BEGIN:VCARD … END:VCARD. */
  readonly stray: number;
}

/**
 * Parse every vCard in `text`. Throws VcardSyntaxError on a malformed line, a nested or
 * unterminated card.
 */
export function parseVcards(text: string): ParsedVcards {
  const cards: VCard[] = [];
  let current: VProperty[] | null = null;
  let stray = 0;
  for (const { text: l, line } of unfold(text)) {
    const upper = l.trim().toUpperCase();
    if (upper === 'BEGIN:VCARD') {
      if (current) throw new VcardSyntaxError('nested BEGIN:VCARD', line);
      current = [];
      continue;
    }
    if (upper === 'END:VCARD') {
      if (!current) throw new VcardSyntaxError('END:VCARD without BEGIN:VCARD', line);
      cards.push({ properties: current });
      current = null;
      continue;
    }
    if (!current) {
      stray++;
      continue;
    }
    const p = parseContentLine(l, line);
    if (p.name === 'BEGIN' || p.name === 'END') throw new VcardSyntaxError(`unexpected ${p.name}:${p.value}`, line);
    current.push(p);
    if (current.length > MAX_PROPERTIES_PER_CARD)
      throw new VcardSyntaxError(`more than ${MAX_PROPERTIES_PER_CARD} properties in one card`, line);
  }
  if (current) throw new VcardSyntaxError('missing END:VCARD', 0);
  return { cards, stray };
}

/** Parse text that must hold exactly one vCard. */
export function parseVcard(text: string): VCard {
  const { cards, stray } = parseVcards(text);
  if (stray > 0) throw new VcardSyntaxError('content outside BEGIN:VCARD/END:VCARD', 0);
  if (cards.length !== 1) throw new VcardSyntaxError(`expected one vCard, found ${cards.length}`, 0);
  return cards[0] as VCard;
}
