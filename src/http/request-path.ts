/**
 * The raw path of a request target (origin-form or absolute-form), without query or fragment.
 * Not normalised: dot segments and encodings are judged by the DAV layer, which refuses them.
 */
export function rawPath(target: string | undefined): string {
  let t = target ?? '/';
  const abs = /^[a-z][a-z0-9+.-]*:\/\/[^/]*/i.exec(t);
  if (abs) t = t.slice(abs[0].length) || '/';
  const q = t.search(/[?#]/);
  return q >= 0 ? t.slice(0, q) : t;
}
