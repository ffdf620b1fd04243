import type { VCard, VProperty } from '../../formats/vcard/model.js';
import { matchText } from '../../formats/vcard/search-index.js';
import { textMatches, type Collation, type MatchType } from '../../formats/vcard/text.js';

/** The addressbook-query filter model (RFC 6352 §10.5), independent of its XML. */

export type Test = 'anyof' | 'allof';

export interface TextMatch {
  readonly text: string;
  readonly collation: Collation;
  readonly matchType: MatchType;
  readonly negate: boolean;
}

export interface ParamFilter {
  /** Upper-case parameter name. */
  readonly name: string;
  readonly isNotDefined: boolean;
  readonly textMatch: TextMatch | null;
}

export interface PropFilter {
  /** Upper-case property name, possibly `GROUP.NAME`. */
  readonly name: string;
  readonly test: Test;
  readonly isNotDefined: boolean;
  readonly textMatches: readonly TextMatch[];
  readonly paramFilters: readonly ParamFilter[];
}

export interface CardFilter {
  readonly test: Test;
  readonly propFilters: readonly PropFilter[];
}

/** §10.5.1: a name without a group matches any group; `G.NAME` matches exactly that group. */
function propertiesNamed(card: VCard, name: string): VProperty[] {
  const dot = name.lastIndexOf('.');
  const bare = dot < 0 ? name : name.slice(dot + 1);
  const group = dot < 0 ? null : name.slice(0, dot);
  return card.properties.filter((p) => p.name === bare && (group === null || (p.group ?? '').toUpperCase() === group));
}

function textMatchHolds(values: readonly string[], m: TextMatch): boolean {
  const matched = values.some((v) => textMatches(v, m.text, m.matchType, m.collation));
  return m.negate ? !matched : matched;
}

/** §10.5.2 on one property instance. */
function paramFilterHolds(p: VProperty, f: ParamFilter): boolean {
  const param = p.params.find((x) => x.name === f.name);
  if (f.isNotDefined) return param === undefined;
  if (!param) return false;
  if (!f.textMatch) return true;
  // A 3.0 TYPE="WORK,VOICE" is a list too.
  return textMatchHolds(
    param.values.flatMap((v) => v.split(',')),
    f.textMatch,
  );
}

/**
 * §10.5.1: a card matches when an instance of the property satisfies the filter's conditions
 * together (combined by its `test`), or, with is-not-defined, when there is no instance.
 */
function propFilterHolds(card: VCard, f: PropFilter): boolean {
  const props = propertiesNamed(card, f.name);
  if (f.isNotDefined) return props.length === 0;
  if (props.length === 0) return false;
  const conditions: ((p: VProperty) => boolean)[] = [
    ...f.textMatches.map((m) => (p: VProperty) => textMatchHolds([matchText(p)], m)),
    ...f.paramFilters.map((pf) => (p: VProperty) => paramFilterHolds(p, pf)),
  ];
  if (conditions.length === 0) return true;
  return props.some((p) => (f.test === 'allof' ? conditions.every((c) => c(p)) : conditions.some((c) => c(p))));
}

/** §10.5: the whole filter. No prop-filter matches every card. */
export function cardMatches(card: VCard, f: CardFilter): boolean {
  if (f.propFilters.length === 0) return true;
  return f.test === 'allof'
    ? f.propFilters.every((p) => propFilterHolds(card, p))
    : f.propFilters.some((p) => propFilterHolds(card, p));
}
