/** What a handler answers; the HTTP layer writes it. */
export interface DavResponse {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * The body. An async iterable is produced while it is sent (a large multistatus): the HTTP
   * layer buffers its start, so an error raised early still becomes a proper error response.
   */
  readonly body?: string | Uint8Array | AsyncIterable<string>;
}

/**
 * The UTF-8 bytes of produced bodies that something on the way (the report answer cache, which
 * keeps them) has already encoded, by the body itself: a wrapper that replaces the body (e.g.
 * rewriting hrefs for a sharee's instance) makes a new iterable, which has none.
 */
const producedBytes = new WeakMap<AsyncIterable<string>, () => Uint8Array | null>();

/** Offer the bytes of `body` once it has been produced to the end (null until then). */
export function offerProducedBytes(body: AsyncIterable<string>, bytes: () => Uint8Array | null): void {
  producedBytes.set(body, bytes);
}

/** The bytes of this very body when it was produced to the end and already encoded; else null. */
export function producedBytesOf(body: AsyncIterable<string>): Uint8Array | null {
  return producedBytes.get(body)?.() ?? null;
}
