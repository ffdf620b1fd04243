/** Path helpers every backend shares. Store paths start with `/` and never end with `/`. */

export function parentPath(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
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
