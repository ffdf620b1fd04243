/**
 * Span classes: how a time-range prefilter reads O(answer) index entries instead of every
 * object that starts before the range ends.
 *
 * Each indexed object has an envelope [first_start, last_end) (ms since the epoch; null when
 * unknown or open-ended). Its span class is the smallest k with last_end − first_start ≤
 * SPAN_LIMITS_MS[k]; objects with no finite envelope are in UNBOUNDED_CLASS. An object of class k
 * overlaps [S, E) only if first_start ∈ (S − SPAN_LIMITS_MS[k], E), so with the index
 * (parent_id, component, span_class, first_start) every class is one bounded range scan. Each
 * class holds spans within a factor of 8 of each other, so a scan reads at most a small
 * multiple of the objects that really overlap.
 *
 * The limits are written into migration 6's backfill; changing them needs a new migration
 * that recomputes the column.
 */
const DAY_MS = 86_400_000;

export const SPAN_LIMITS_MS: readonly number[] = [1, 8, 64, 512, 4096].map((days) => days * DAY_MS);

export const UNBOUNDED_CLASS = SPAN_LIMITS_MS.length;

export function spanClassOf(firstStart: number | null, lastEnd: number | null): number {
  if (firstStart === null || lastEnd === null) return UNBOUNDED_CLASS;
  const span = lastEnd - firstStart;
  const k = SPAN_LIMITS_MS.findIndex((limit) => span <= limit);
  return k < 0 ? UNBOUNDED_CLASS : k;
}

/** The same classification as SQL, for the migration that fills the column for existing rows. */
function spanClassSql(): string {
  const whens = SPAN_LIMITS_MS.map((limit, k) => `WHEN last_end - first_start <= ${limit} THEN ${k}`).join(' ');
  return `CASE WHEN first_start IS NULL OR last_end IS NULL THEN ${UNBOUNDED_CLASS} ${whens} ELSE ${UNBOUNDED_CLASS} END`;
}

/** The migration, identical in both dialects. */
export const SPAN_CLASS_MIGRATION = `
ALTER TABLE resources ADD COLUMN span_class INTEGER NOT NULL DEFAULT ${UNBOUNDED_CLASS};
UPDATE resources SET span_class = ${spanClassSql()} WHERE is_collection = 0;
DROP INDEX resources_range;
CREATE INDEX resources_range ON resources(parent_id, component, span_class, first_start);
`;
