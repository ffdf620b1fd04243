/** Path helpers every backend shares. Store paths start with `/` and never end with `/`. */

export function parentPath(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** The path of the member named `name` (a feed name: a collection's ends in `/`) of `parent`. */
export function memberPath(parent: string, name: string): string {
  const bare = name.endsWith('/') ? name.slice(0, -1) : name;
  return parent === '/' ? `/${bare}` : `${parent}/${bare}`;
}

/**
 * A member's name in its collection's change feed (`Change.name`): the last path segment, with a
 * trailing `/` for a collection, so a sync-collection answer for a removed member still knows to
 * give a collection's href its slash (RFC 6578 §3.5.2).
 */
export function memberName(path: string, isCollection: boolean): string {
  return isCollection ? `${baseName(path)}/` : baseName(path);
}

/** Every proper ancestor of a path, nearest first (`/a/b/c` → `/a/b`, `/a`). */
export function ancestors(path: string): string[] {
  const out: string[] = [];
  let p = parentPath(path);
  while (p !== '/') {
    out.push(p);
    p = parentPath(p);
  }
  return out;
}

/**
 * Bounds of a subtree for a range scan on a byte-ordered path index: every descendant of `path`
 * sorts in [`path/`, `path0`) since '0' follows '/' in ASCII.
 */
export function subtreeRange(path: string): [string, string] {
  return [`${path}/`, `${path}0`];
}

/** Bytewise (UTF-8) order of paths, as the path index and PostgreSQL's COLLATE "C" sort them. */
function byBytes(a: { readonly path: string }, b: { readonly path: string }): number {
  return a.path === b.path ? 0 : Buffer.compare(Buffer.from(a.path), Buffer.from(b.path));
}

function byCodeUnits(a: { readonly path: string }, b: { readonly path: string }): number {
  return a.path === b.path ? 0 : a.path < b.path ? -1 : 1;
}

/** Sort resources by path in the store's byte order, in place. */
export function sortByPath<T extends { readonly path: string }>(rows: T[]): T[] {
  // UTF-16 order equals UTF-8 byte order unless a surrogate pair meets U+E000–U+FFFF: compare
  // bytes only when some path has such characters (checked once per path, not per comparison).
  return rows.sort(rows.some((r) => /[\uD800-\uFFFF]/.test(r.path)) ? byBytes : byCodeUnits);
}
