/**
 * Content lines of vCard 2.1/3.0 and vCalendar 1.0/iCalendar 2.0, kept close to the text:
 * unfolding (RFC 2425 §5.8.1 and vCard 2.1 §2.1.3, including quoted-printable soft line breaks),
 * parameters (bare 2.1 `TEL;CELL` and `NAME=VALUE`), and writing with folding.
 */
import { fold } from '../vcard/write.js';

export interface Param {
  /** Upper-case name; for a bare 2.1 parameter (`CELL`), '' with the value in `value`. */
  readonly name: string;
  readonly value: string;
}

export interface Line {
  readonly group: string | null;
  /** Upper-case property name. */
  readonly name: string;
  readonly params: readonly Param[];
  /** The raw value (escapes and encodings undone by the caller). */
  readonly value: string;
}

/** Split text into logical lines: CRLF/LF, folding (leading space/tab), QP soft breaks (`=` at end). */
export function unfoldLines(text: string): string[] {
  const physical = text.replace(/\r\n|\r/g, '\n').split('\n');
  const out: string[] = [];
  let qpOpen = false;
  for (const raw of physical) {
    if (qpOpen && out.length > 0) {
      // vCard 2.1 §2.1.3: a QP value continues after a soft line break (`=` at the end).
      out[out.length - 1] = (out[out.length - 1] as string).slice(0, -1) + raw;
    } else if ((raw.startsWith(' ') || raw.startsWith('\t')) && out.length > 0) {
      out[out.length - 1] += raw.slice(1);
    } else if (raw.length > 0) out.push(raw);
    const last = out[out.length - 1] ?? '';
    qpOpen =
      /ENCODING=QUOTED-PRINTABLE|;QUOTED-PRINTABLE[;:]/i.test(last.slice(0, Math.max(0, headerEnd(last)) + 1)) &&
      last.endsWith('=');
  }
  return out;
}

/** Index of the ':' that ends the property name and parameters (quotes respected). */
function headerEnd(line: string): number {
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '"') quoted = !quoted;
    else if (c === ':' && !quoted) return i;
  }
  return -1;
}

function parseLine(line: string): Line | null {
  const colon = headerEnd(line);
  if (colon < 0) return null;
  const head = line.slice(0, colon);
  const value = line.slice(colon + 1);
  const parts: string[] = [];
  let cur = '';
  let quoted = false;
  for (const c of head) {
    if (c === '"') quoted = !quoted;
    if (c === ';' && !quoted) {
      parts.push(cur);
      cur = '';
    } else cur += c;
  }
  parts.push(cur);
  let nameFull = (parts.shift() ?? '').trim();
  let group: string | null = null;
  const dot = nameFull.indexOf('.');
  if (dot > 0) {
    group = nameFull.slice(0, dot);
    nameFull = nameFull.slice(dot + 1);
  }
  const params: Param[] = parts
    .filter((p) => p.trim() !== '')
    .map((p) => {
      const eq = p.indexOf('=');
      if (eq < 0) return { name: '', value: p.trim() };
      return {
        name: p.slice(0, eq).trim().toUpperCase(),
        value: p
          .slice(eq + 1)
          .trim()
          .replace(/^"(.*)"$/, '$1'),
      };
    });
  return { group, name: nameFull.toUpperCase(), params, value };
}

export function parseLines(text: string): Line[] {
  return unfoldLines(text)
    .map(parseLine)
    .filter((l): l is Line => l !== null);
}

export function paramValue(l: Line, name: string): string | undefined {
  return l.params.find((p) => p.name === name)?.value;
}

/** Types of a property: TYPE= values (comma lists split) and bare 2.1 parameters, upper case. */
export function typesOf(l: Line): string[] {
  const out: string[] = [];
  for (const p of l.params) {
    if (p.name === 'TYPE')
      out.push(
        ...p.value
          .split(',')
          .map((x) => x.trim().toUpperCase())
          .filter(Boolean),
      );
    else if (p.name === '') out.push(p.value.toUpperCase());
  }
  return out;
}

/** Fold at 75 octets, never inside a UTF-8 sequence: the same rule as vCard 3/4 and iCalendar. */
export const foldLine = fold;

// Quoted-printable (RFC 2045 §6.7), as vCard 2.1 and vCalendar 1.0 use it.
export function decodeQuotedPrintable(s: string): Uint8Array {
  const bytes: number[] = [];
  const enc = new TextEncoder();
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string;
    if (c === '=' && /^[0-9A-Fa-f]{2}$/.test(s.slice(i + 1, i + 3))) {
      bytes.push(parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (c === '=' && i === s.length - 1) {
      // trailing soft break
    } else bytes.push(...enc.encode(c));
  }
  return Uint8Array.from(bytes);
}

/** QP-encode UTF-8 text; no soft breaks (lines are folded by the caller if at all). */
export function encodeQuotedPrintable(s: string): string {
  let out = '';
  for (const b of new TextEncoder().encode(s)) {
    if ((b >= 33 && b <= 126 && b !== 61) || b === 32) out += String.fromCharCode(b);
    else out += `=${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out.replace(/ $/, '=20');
}

/**
 * Windows-1252 at 0x80–0x9F (WHATWG Encoding, index windows-1252; the labels ISO-8859-1 and
 * US-ASCII mean it too). Node's decoder for these labels gives the C1 control characters instead.
 */
const CP1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';

/** A decoder for an encoding label, or null when the label is unknown. */
function decoderFor(label: string) {
  try {
    return new TextDecoder(label);
  } catch {
    return null;
  }
}

/** Decode bytes in a vCard 2.1 CHARSET (UTF-8, ISO-8859-1, windows-1252…). */
export function decodeCharset(bytes: Uint8Array, charset: string | undefined): string {
  const cs = (charset ?? 'UTF-8').toLowerCase();
  const decoder = decoderFor(cs === 'utf8' ? 'utf-8' : cs) ?? new TextDecoder('utf-8');
  const text = decoder.decode(bytes);
  if (decoder.encoding !== 'windows-1252') return text;
  return text.replace(/[\u0080-\u009f]/g, (c) => CP1252_HIGH[c.charCodeAt(0) - 0x80] ?? c);
}
