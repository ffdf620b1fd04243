import type { VCard, VParam, VProperty } from './model.js';

/** RFC 6868 caret encoding, and quoting when a value holds `:`, `;` or `,`. */
function paramValue(v: string): string {
  const enc = v.replace(/\^/g, '^^').replace(/\r?\n/g, '^n').replace(/"/g, "^'");
  return /[:;,]/.test(enc) || enc !== enc.trim() ? `"${enc}"` : enc;
}

function writeParams(params: readonly VParam[]): string {
  return params.map((p) => `;${p.name}=${p.values.map(paramValue).join(',')}`).join('');
}

/** One unfolded content line. `novalue` keeps the name, parameters and ':' (RFC 6352 §10.4.2). */
export function contentLine(p: VProperty, novalue = false): string {
  return `${p.group ? `${p.group}.` : ''}${p.name}${writeParams(p.params)}:${novalue ? '' : p.value}`;
}

const encoder = new TextEncoder();
function utf8Length(s: string): number {
  return encoder.encode(s).length;
}

/** Fold at 75 octets (RFC 6350 §3.2), never inside a UTF-8 sequence. */
export function fold(line: string): string {
  if (utf8Length(line) <= 75) return line;
  const parts: string[] = [];
  let cur = '';
  let size = 0;
  let limit = 75;
  for (const ch of line) {
    const n = utf8Length(ch);
    if (size + n > limit) {
      parts.push(cur);
      cur = '';
      size = 0;
      limit = 74;
    }
    cur += ch;
    size += n;
  }
  parts.push(cur);
  return parts.join('\r\n ');
}

/** Write a card as text/vcard with CRLF line ends. */
export function writeVcard(card: VCard, options: { novalue?: ReadonlySet<VProperty> } = {}): string {
  const lines = ['BEGIN:VCARD'];
  for (const p of card.properties) lines.push(fold(contentLine(p, options.novalue?.has(p) ?? false)));
  lines.push('END:VCARD');
  return `${lines.join('\r\n')}\r\n`;
}
