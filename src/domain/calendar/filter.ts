import type { TimeRange } from '../../formats/ical/time-range.js';

/** RFC 4791 §9.7.5 collations (advertised in supported-collation-set, §7.5.1). */
export const COLLATIONS = ['i;ascii-casemap', 'i;octet', 'i;unicode-casemap'] as const;
export type Collation = (typeof COLLATIONS)[number];

/** CALDAV:text-match (§9.7.5): a substring match, optionally negated. */
export interface TextMatch {
  readonly value: string;
  readonly collation: Collation;
  readonly negate: boolean;
}

/** CALDAV:param-filter (§9.7.3). */
export interface ParamFilter {
  readonly name: string;
  readonly isNotDefined: boolean;
  readonly textMatch: TextMatch | null;
}

/** CALDAV:prop-filter (§9.7.2). */
export interface PropFilter {
  readonly name: string;
  readonly isNotDefined: boolean;
  readonly timeRange: TimeRange | null;
  readonly textMatch: TextMatch | null;
  readonly paramFilters: readonly ParamFilter[];
}

/** CALDAV:comp-filter (§9.7.1). Names are upper case. */
export interface CompFilter {
  readonly name: string;
  readonly isNotDefined: boolean;
  readonly timeRange: TimeRange | null;
  readonly propFilters: readonly PropFilter[];
  readonly compFilters: readonly CompFilter[];
}
