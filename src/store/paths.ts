/** Path helpers every backend shares. Store paths start with `/` and never end with `/`. */

export function parentPath(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
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
