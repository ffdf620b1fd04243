import { INDEXED_PROPERTIES } from '../../formats/vcard/search-index.js';
import { unicodeFold } from '../../formats/vcard/text.js';
import type { SearchMatch } from '../../store/types.js';
import type { CardFilter, PropFilter } from './filter.js';

/**
 * Which cards could match a filter, answered from the search index. A plan only ever widens:
 * every card the exact filter accepts is among the candidates, because the index keeps every
 * instance of an indexed property folded with i;unicode-casemap, which is coarser than the
 * other collations and maps code point by code point (so substrings stay substrings). The
 * exact filter then runs on the candidates' data (the sabre/dav pattern: SQL prefilter, exact
 * check in code).
 */
export type Plan =
  | { readonly op: 'all' }
  | { readonly op: 'lookup'; readonly prop: string; readonly match: SearchMatch }
  | { readonly op: 'union' | 'intersect'; readonly parts: readonly Plan[] };

const ALL: Plan = { op: 'all' };

function bareName(name: string): string {
  return name.slice(name.lastIndexOf('.') + 1);
}

function planProp(f: PropFilter): Plan {
  const prop = bareName(f.name);
  if (f.isNotDefined || !INDEXED_PROPERTIES.has(prop)) return ALL;
  // Anything but is-not-defined needs an instance of the property.
  const defined: Plan = { op: 'lookup', prop, match: { kind: 'defined', folded: '' } };
  const parts: Plan[] = f.textMatches.map((m) =>
    m.negate ? defined : { op: 'lookup', prop, match: { kind: m.matchType, folded: unicodeFold(m.text) } },
  );
  if (f.paramFilters.length > 0) parts.push(defined);
  if (parts.length === 0) return defined;
  if (f.test === 'allof') {
    const narrow = parts.filter((p) => p !== defined);
    return narrow.length === 0
      ? defined
      : narrow.length === 1
        ? (narrow[0] as Plan)
        : { op: 'intersect', parts: narrow };
  }
  if (parts.includes(defined)) return defined;
  return parts.length === 1 ? (parts[0] as Plan) : { op: 'union', parts };
}

export function planFilter(f: CardFilter): Plan {
  if (f.propFilters.length === 0) return ALL;
  const parts = f.propFilters.map(planProp);
  if (f.test === 'anyof') {
    if (parts.some((p) => p.op === 'all')) return ALL;
    return parts.length === 1 ? (parts[0] as Plan) : { op: 'union', parts };
  }
  const narrow = parts.filter((p) => p.op !== 'all');
  if (narrow.length === 0) return ALL;
  return narrow.length === 1 ? (narrow[0] as Plan) : { op: 'intersect', parts: narrow };
}

/**
 * Whether the plan's lookup alone decides the match: one prop-filter on an indexed property
 * without a group, with at most one plain (not negated) text-match in i;unicode-casemap, the
 * collation the index folds with. Then the first N candidates are the first N matches and a
 * limit can go to the store.
 */
export function planIsExact(f: CardFilter): boolean {
  if (f.propFilters.length !== 1) return false;
  const p = f.propFilters[0] as PropFilter;
  if (p.isNotDefined || p.name.includes('.') || !INDEXED_PROPERTIES.has(p.name) || p.paramFilters.length > 0)
    return false;
  if (p.textMatches.length === 0) return true;
  const m = p.textMatches[0];
  return p.textMatches.length === 1 && m !== undefined && !m.negate && m.collation === 'i;unicode-casemap';
}
