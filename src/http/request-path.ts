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

/**
 * Whether `raw` decodes as percent-encoded UTF-8 (RFC 3986 §2.1): every `%` starts a two-digit
 * escape and the bytes form valid UTF-8. A path that does not is refused (400) for every route
 * before any handler sees it, instead of a decoder throwing deep inside one.
 */
export function isWellEncoded(raw: string): boolean {
  if (!raw.includes('%')) return true;
  try {
    decodeURIComponent(raw);
    return true;
  } catch {
    return false;
  }
}
