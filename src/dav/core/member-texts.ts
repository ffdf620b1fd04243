/**
 * What a stored member's row gives a member listing, written once per row and kept with it
 * (issue #20): the start of its DAV:response (its element and href) and the element of each
 * plain property (PropertyDef `text`) a listing asked of it. A PROPFIND Depth 1 of a calendar
 * whose listing is kept (domain/member-listings.ts) then joins kept texts instead of formatting,
 * escaping and concatenating a dozen small strings per member: each of those strings had to be
 * collected, and the answer flattened from thousands of pieces.
 *
 * Why a kept text is never stale: a row is the snapshot the store read (a member written again
 * is read as a new row), and a `text` property's value and whether it applies to a stored
 * object depend on that row alone (registry.ts). The texts are kept in a WeakMap by row, so they
 * live as long as the row, and only for the rows of kept listings: a row read for one request
 * gets its texts written for that request alone.
 */
import { isKeptRow } from '../../domain/member-listings.js';
import type { Resource } from '../../store/types.js';
import type { PropertyDef } from './registry.js';

/** A property's kept cell: its element's text, or MISSING (not defined: 404) or NOT_HERE (does not apply). */
export type Cell = string | typeof MISSING | typeof NOT_HERE;
export const MISSING = 0;
export const NOT_HERE = 1;

/** Cell 0 holds the response's start, cell 1 the row's own href; each plain property has the cell `cellOf` gives it. */
export const HEAD_CELL = 0;
export const HREF_CELL = 1;

const cellsByRow = new WeakMap<Resource, (Cell | undefined)[]>();
const cellOfDef = new Map<PropertyDef, number>();

/**
 * The cells of `row`, filled in by their users: kept with the row when a kept listing holds it
 * (domain/member-listings.ts `isKeptRow`), else fresh ones for this request alone.
 */
export function cellsOf(row: Resource): (Cell | undefined)[] {
  let cells = cellsByRow.get(row);
  if (!cells) {
    cells = [];
    if (isKeptRow(row)) cellsByRow.set(row, cells);
  }
  return cells;
}

/** The cell of `def` in every row's cells. */
export function cellOf(def: PropertyDef): number {
  let i = cellOfDef.get(def);
  if (i === undefined) cellOfDef.set(def, (i = cellOfDef.size + 2));
  return i;
}
