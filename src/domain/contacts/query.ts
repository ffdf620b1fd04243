import { parseStored } from '../../formats/vcard/represent.js';
import type { ObjectsReader } from '../../store/store.js';
import type { Resource } from '../../store/types.js';
import type { ObjectFilter } from '../object-filter.js';
import { cardMatches, type CardFilter } from './filter.js';
import { planFilter, planIsExact, type Plan } from './planner.js';

/** Most candidates one index lookup returns; beyond it the query reads the collection instead. */
const LOOKUP_CAP = 200_000;

/**
 * The candidate members of a collection for a plan, ordered by path; null = every member
 * (the plan cannot narrow, or a lookup hit the cap). `limit` applies to a single lookup only.
 */
async function candidates(
  reader: ObjectsReader,
  collectionId: number,
  plan: Plan,
  limit?: number,
): Promise<Resource[] | null> {
  if (plan.op === 'all') return null;
  if (plan.op === 'lookup') {
    // `limit`: the caller knows the lookup is exact (planIsExact) and needs only so many.
    const rows = await reader.searchObjects(
      collectionId,
      plan.prop,
      plan.match,
      Math.min(limit ?? Infinity, LOOKUP_CAP + 1),
    );
    return rows.length > LOOKUP_CAP ? null : rows;
  }
  const sets: Resource[][] = [];
  for (const part of plan.parts) {
    const rows = await candidates(reader, collectionId, part);
    if (rows === null) {
      if (plan.op === 'union') return null;
      continue;
    }
    sets.push(rows);
  }
  if (sets.length === 0) return null;
  const byId = new Map<number, Resource>();
  if (plan.op === 'union') {
    for (const s of sets) for (const r of s) byId.set(r.id, r);
  } else {
    const [firstSet = [], ...rest] = sets;
    const keep = rest.map((s) => new Set(s.map((r) => r.id)));
    for (const r of firstSet) if (keep.every((k) => k.has(r.id))) byId.set(r.id, r);
  }
  return [...byId.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

const NO_VERDICTS: ReadonlyMap<number, boolean> = new Map();

/**
 * RFC 6352 §8.6 addressbook-query as an ObjectFilter (domain/object-filter.ts): the search index
 * narrows the candidates (planner.ts), the filter then runs exactly on each card; when the plan
 * is exact (planIsExact) the store stops after the matches wanted, and every card the lookup
 * returned matches without being parsed again (a FN search of 50,000 cards parsed each of its
 * hundreds of matches only to learn what the index had said).
 */
export function cardFilter(filter: CardFilter): ObjectFilter {
  const plan = planFilter(filter);
  const exact = planIsExact(filter);
  /** The cards an exact lookup returned: they match (ids are unique across collections). */
  const matched = new Set<number>();
  return {
    label: `addressbook-query (plan ${JSON.stringify(plan)})`,
    candidates: async (store, collectionId, limit) => {
      const rows = await candidates(store, collectionId, plan, exact && Number.isFinite(limit) ? limit : undefined);
      // Not when the lookup fell back to every member (null): those are unknowns.
      if (exact && rows !== null) for (const r of rows) matched.add(r.id);
      return rows;
    },
    decide: async (_store, batch) => {
      if (matched.size === 0) return NO_VERDICTS;
      const known = new Map<number, boolean>();
      for (const r of batch) if (matched.has(r.id)) known.set(r.id, true);
      return known;
    },
    check: async (r, text) => {
      try {
        return cardMatches(parseStored(text, r.contentType), filter);
      } catch {
        return false; // not address data
      }
    },
  };
}
