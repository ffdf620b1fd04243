/** Text value escaping (RFC 6350 §3.4, RFC 2426 §4) and the collations of RFC 6352 §8.3. */

/** Undo TEXT escapes: `\\`, `\,`, `\;`, `\:`, `\n`/`\N`. Unknown escapes keep the character. */
export function unescapeText(raw: string): string {
  if (!raw.includes('\\')) return raw;
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c === '\\' && i + 1 < raw.length) {
      const n = raw[++i] ?? '';
      out += n === 'n' || n === 'N' ? '\n' : n;
    } else {
      out += c;
    }
  }
  return out;
}

export function escapeText(s: string): string {
  return s.replace(/[\\,;\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`)).replace(/\r/g, '');
}

/** Split a raw value on an unescaped separator, keeping escapes in the parts. */
export function splitRaw(raw: string, sep: ',' | ';'): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i] ?? '';
    if (c === '\\' && i + 1 < raw.length) {
      cur += c + (raw[++i] ?? '');
    } else if (c === sep) {
      out.push(cur);
      cur = '';
    } else {
      cur += c;
    }
  }
  out.push(cur);
  return out;
}

export type Collation = 'i;unicode-casemap' | 'i;ascii-casemap' | 'i;octet';
export const COLLATIONS: readonly Collation[] = ['i;ascii-casemap', 'i;octet', 'i;unicode-casemap'];

/**
 * i;unicode-casemap (RFC 5051), applied code point by code point: compatibility decomposition,
 * then case folding. Mapping each code point on its own keeps the fold a homomorphism, so a
 * substring of the original is a substring of the fold (no context-sensitive final sigma): the
 * search index can then prefilter `contains` without false negatives.
 */
export function unicodeFold(s: string): string {
  // The same per-code-point fold, in two passes that give flat strings (a contact list keeps
  // 50,000 of them; the character-by-character concatenation made ropes that the first search
  // had to flatten, 1.9 s): non-ASCII code points fold on their own, then one toLowerCase does
  // the ASCII letters (lower case is stable under toLowerCase, and no ASCII mapping has context).
  return s.replace(/[^\p{ASCII}]/gu, (ch) => ch.normalize('NFKD').toUpperCase().toLowerCase()).toLowerCase();
}

/** i;ascii-casemap (RFC 4790 §9.2): only A–Z fold. */
function asciiFold(s: string): string {
  return s.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

function foldFor(collation: Collation): (s: string) => string {
  if (collation === 'i;octet') return (s) => s;
  return collation === 'i;ascii-casemap' ? asciiFold : unicodeFold;
}

export type MatchType = 'equals' | 'contains' | 'starts-with' | 'ends-with';

/** RFC 4790 §4.2 equality and substring (prefix/suffix) matches under a collation. */
export function textMatches(value: string, needle: string, type: MatchType, collation: Collation): boolean {
  const f = foldFor(collation);
  const v = f(value);
  const n = f(needle);
  switch (type) {
    case 'equals':
      return v === n;
    case 'contains':
      return v.includes(n);
    case 'starts-with':
      return v.startsWith(n);
    case 'ends-with':
      return v.endsWith(n);
  }
}
