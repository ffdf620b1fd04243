/** A DAV request the server said no to, with a message a person can read. */
export class DavHttpError extends Error {
  constructor(
    readonly status: number,
    readonly method: string,
    readonly url: string,
    readonly detail: string,
  ) {
    super(describe(status, method, detail));
    this.name = 'DavHttpError';
  }

  /** The object changed on the server since it was loaded (If-Match failed, RFC 9110 §13.1.1). */
  get isConflict(): boolean {
    return this.status === 412;
  }
}

function describe(status: number, method: string, detail: string): string {
  const why: Record<number, string> = {
    400: 'The server could not understand the request',
    401: 'You are not logged in (any more)',
    403: 'The server does not allow this',
    404: 'It no longer exists on the server',
    405: 'The server does not support this here',
    409: 'It conflicts with what is on the server',
    412: 'Someone changed this in the meantime',
    413: 'It is too large for the server',
    415: 'The server does not accept this kind of data',
    423: 'It is locked',
    502: 'The other server could not be reached',
    507: 'The server is out of space',
  };
  const base = why[status] ?? `The server answered ${status}`;
  const extra = detail.trim().slice(0, 300);
  return `${base} (${method} ${status})${extra ? `: ${extra}` : ''}`;
}

/**
 * The other server answered, but not as the DAV protocol says: its message is English (the DAV
 * client has no UI language); `code` lets the UI word it in the user's (error.protocol.<code>).
 */
export class DavProtocolError extends Error {
  constructor(
    readonly code: 'noPrincipal' | 'noSyncToken' | 'malformedXml' | 'notMultistatus',
    message: string,
  ) {
    super(message);
    this.name = 'DavProtocolError';
  }
}

/** Pull a readable reason from an error body: a DAV precondition name, a JSON error, or text. */
export function errorDetail(body: string, contentType: string | null): string {
  if (contentType?.includes('json')) {
    try {
      return String((JSON.parse(body) as { error?: string }).error ?? '');
    } catch {
      return '';
    }
  }
  if (contentType?.includes('xml')) {
    const d = new DOMParser().parseFromString(body, 'application/xml');
    const root = d.documentElement;
    const first = root?.firstElementChild;
    // Almanac writes the reason as a comment after <D:error>; other servers as text inside it.
    const why =
      [...d.childNodes].find((n) => n.nodeType === Node.COMMENT_NODE)?.textContent?.trim() || root?.textContent?.trim();
    return first ? `${first.localName}${why ? ` — ${why}` : ''}` : '';
  }
  return body.length < 300 ? body : '';
}

/**
 * The request never got an answer: the browser is offline, or the server (or the way to it) is
 * down. fetch rejects with a TypeError then; any answer at all, even 502, is a DavHttpError.
 */
export function isNetworkFailure(err: unknown): boolean {
  if (err instanceof DavHttpError) return false;
  return err instanceof TypeError || (typeof navigator !== 'undefined' && navigator.onLine === false);
}
