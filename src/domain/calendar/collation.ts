import type { Collation, TextMatch } from './filter.js';

/** Fold a string for a collation (RFC 4790 §9.2, §9.3; RFC 5051 for i;unicode-casemap). */
function fold(s: string, collation: Collation): string {
  switch (collation) {
    case 'i;octet':
      return s;
    case 'i;ascii-casemap':
      return s.replace(/[a-z]/g, (c) => c.toUpperCase());
    case 'i;unicode-casemap':
      return s.normalize('NFKD').toUpperCase().toLowerCase().normalize('NFKD');
  }
}

/** CALDAV:text-match (RFC 4791 §9.7.5): substring match under the collation, then negate-condition. */
export function textMatches(values: readonly string[], m: TextMatch): boolean {
  const needle = fold(m.value, m.collation);
  const hit = values.some((v) => fold(v, m.collation).includes(needle));
  return m.negate ? !hit : hit;
}
