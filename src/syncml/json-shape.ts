/**
 * Small checks for JSON the engine stored earlier (sessions, device records): each says whether
 * a parsed value has the shape a type promises, so nothing is read through a bare `as` cast.
 * A failed check names the first field that does not fit.
 */
export type Check<T> = (v: unknown, path: string) => T;

export class ShapeError extends Error {}

const fail = (path: string, want: string): never => {
  throw new ShapeError(`${path || 'value'} is not ${want}`);
};

export const str: Check<string> = (v, p) => (typeof v === 'string' ? v : fail(p, 'a string'));
export const num: Check<number> = (v, p) => (typeof v === 'number' && Number.isFinite(v) ? v : fail(p, 'a number'));
export const bool: Check<boolean> = (v, p) => (typeof v === 'boolean' ? v : fail(p, 'a boolean'));

export function oneOf<const T extends string | number>(values: readonly T[]): Check<T> {
  return (v, p) => (values.includes(v as T) ? (v as T) : fail(p, `one of ${values.join(', ')}`));
}

export function nullable<T>(check: Check<T>): Check<T | null> {
  return (v, p) => (v === null ? null : check(v, p));
}

export function arrayOf<T>(check: Check<T>): Check<T[]> {
  return (v, p) => (Array.isArray(v) ? v.map((x, i) => check(x, `${p}[${i}]`)) : fail(p, 'an array'));
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function recordOf<T>(check: Check<T>): Check<Record<string, T>> {
  return (v, p) => {
    if (!isPlainObject(v)) return fail(p, 'an object');
    const out: Record<string, T> = {};
    for (const [k, x] of Object.entries(v)) out[k] = check(x, `${p}.${k}`);
    return out;
  };
}

type Fields<T> = { readonly [K in keyof T]-?: Check<T[K]> };

/**
 * An object with these fields. A field whose check accepts `undefined` may be missing; fields
 * not named are dropped.
 */
export function shape<T>(fields: Fields<T>): Check<T> {
  return (v, p) => {
    if (!isPlainObject(v)) return fail(p, 'an object');
    const out: Record<string, unknown> = {};
    for (const [k, check] of Object.entries(fields) as [string, Check<unknown>][]) {
      const x = check(v[k], p ? `${p}.${k}` : k);
      if (x !== undefined) out[k] = x;
    }
    return out as T;
  };
}

/** A field that may be absent. */
export function optional<T>(check: Check<T>): Check<T | undefined> {
  return (v, p) => (v === undefined ? undefined : check(v, p));
}
