/**
 * vCard 2.1 (versit) ⇄ vCard 3.0 (RFC 2426), as phones send and expect them (digest §14):
 * quoted-printable with soft line breaks, CHARSET, bare type parameters (`TEL;CELL`), unescaped
 * text, ENCODING=BASE64 ⇄ ENCODING=b.
 */
import {
  decodeCharset,
  decodeQuotedPrintable,
  encodeQuotedPrintable,
  foldLine,
  paramValue,
  parseLines,
  typesOf,
  type Line,
  type Param,
} from './lines.js';

/** Structured properties: components separated by `;` in both versions. */
const STRUCTURED = new Set(['N', 'ADR', 'ORG']);
/** Properties whose value is not text (no escaping). */
const RAW = new Set(['PHOTO', 'LOGO', 'SOUND', 'KEY', 'VERSION', 'BEGIN', 'END', 'REV', 'BDAY', 'GEO', 'TZ', 'AGENT']);
const ENCODING_WORDS = new Set(['QUOTED-PRINTABLE', 'BASE64', '8BIT', '7BIT', 'B']);

const escape30 = (s: string): string =>
  s
    .replace(/\\/g, '\\\\')
    .replace(/,/g, '\\,')
    .replace(/;/g, '\\;')
    .replace(/\r\n|\r|\n/g, '\\n');
const unescape30 = (s: string): string =>
  s.replace(/\\([\\,;nN])/g, (_, c: string) => (c === 'n' || c === 'N' ? '\r\n' : c));

function isQp(l: Line): boolean {
  return (
    /^quoted-printable$/i.test(paramValue(l, 'ENCODING') ?? '') ||
    l.params.some((p) => p.name === '' && /^quoted-printable$/i.test(p.value))
  );
}

function isBase64(l: Line): boolean {
  const e = paramValue(l, 'ENCODING') ?? l.params.find((p) => p.name === '' && /^base64$/i.test(p.value))?.value;
  return /^(base64|b)$/i.test(e ?? '');
}

/** One vCard 2.1 text → vCard 3.0 text. */
export function vcard21ToVcard30(text: string): string {
  const out: string[] = [];
  let hasFn = false;
  let nValue: string | null = null;
  for (const l of parseLines(text)) {
    if (l.name === 'VERSION') {
      out.push('VERSION:3.0');
      continue;
    }
    let value = l.value;
    if (isQp(l)) value = decodeCharset(decodeQuotedPrintable(value), paramValue(l, 'CHARSET'));
    const b64 = isBase64(l);
    const types = typesOf(l).filter((t) => !ENCODING_WORDS.has(t));
    const params: Param[] = [];
    for (const p of l.params) {
      if (p.name === 'ENCODING' || p.name === 'CHARSET' || p.name === 'TYPE' || p.name === '') continue;
      params.push(p);
    }
    if (types.length > 0) params.unshift({ name: 'TYPE', value: types.join(',') });
    if (b64) params.push({ name: 'ENCODING', value: 'b' });
    if (b64) value = value.replace(/\s+/g, '');
    else if (!RAW.has(l.name) && l.name !== 'BEGIN' && l.name !== 'END') {
      // 2.1 text is not escaped (except `\;` inside structured values): escape for 3.0.
      value = STRUCTURED.has(l.name)
        ? value
            .split(/(?<!\\);/)
            .map((c) => escape30(c.replace(/\\;/g, ';')))
            .join(';')
        : escape30(value);
    }
    if (l.name === 'FN' && value.trim() !== '') hasFn = true;
    if (l.name === 'N') nValue = value;
    out.push(
      foldLine(
        `${l.group ? `${l.group}.` : ''}${l.name}${params.map((p) => `;${p.name}=${p.value}`).join('')}:${value}`,
      ),
    );
  }
  if (!hasFn) {
    // vCard 3.0 requires FN (RFC 2426 §3.1.1): from N (given family), else empty.
    const parts = (nValue ?? '').split(/(?<!\\);/).map((p) => p.trim());
    const fn = [parts[3], parts[1], parts[2], parts[0], parts[4]].filter((x) => x).join(' ');
    const end = out.findIndex((x) => /^END:VCARD/i.test(x));
    out.splice(end < 0 ? out.length : end, 0, `FN:${fn}`);
  }
  return out.join('\r\n') + '\r\n';
}

function needsQp(s: string): boolean {
  return /[\r\n]/.test(s) || /=\s*$/.test(s);
}

/** One vCard 3.0 (or 4.0) text → vCard 2.1 text. */
export function vcard30ToVcard21(text: string): string {
  const out: string[] = [];
  for (const l of parseLines(text)) {
    if (l.name === 'VERSION') {
      out.push('VERSION:2.1');
      continue;
    }
    const b64 = isBase64(l);
    const types = typesOf(l).filter((t) =>
      !ENCODING_WORDS.has(t) && t !== 'PREF' && t !== 'INTERNET' ? true : t === 'PREF' || t === 'INTERNET',
    );
    const params: string[] = [];
    for (const p of l.params) {
      if (p.name === 'ENCODING' || p.name === 'TYPE' || p.name === '' || p.name === 'VALUE' || p.name === 'CHARSET')
        continue;
      params.push(`;${p.name}=${p.value}`);
    }
    for (const t of types) params.push(`;${t}`);
    let value = l.value;
    if (b64) {
      const folded = value.replace(/\s+/g, '').replace(/(.{76})/g, '$1\r\n ');
      out.push(`${l.name}${params.join('')};ENCODING=BASE64:\r\n ${folded}\r\n`);
      continue;
    }
    if (!RAW.has(l.name) && l.name !== 'BEGIN' && l.name !== 'END') {
      value = STRUCTURED.has(l.name)
        ? value
            .split(/(?<!\\);/)
            .map((c) => unescape30(c).replace(/;/g, '\\;'))
            .join(';')
        : unescape30(value);
    }
    const nonAscii = /[^\p{ASCII}]/u.test(value);
    if (needsQp(value)) {
      params.push(`${nonAscii ? ';CHARSET=UTF-8' : ''};ENCODING=QUOTED-PRINTABLE`);
      value = encodeQuotedPrintable(value);
    } else if (nonAscii) params.push(';CHARSET=UTF-8');
    out.push(`${l.group ? `${l.group}.` : ''}${l.name}${params.join('')}:${value}`);
  }
  return out.join('\r\n') + '\r\n';
}
