/** What a handler answers; the HTTP layer writes it. */
export interface DavResponse {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * The body. An async iterable is produced while it is sent (a large multistatus): the HTTP
   * layer buffers its start, so an error raised early still becomes a proper error response.
   */
  readonly body?: string | Uint8Array | AsyncIterable<string>;
  /**
   * For a produced body: its UTF-8 bytes once it has been produced to the end, when something
   * on the way (the report answer cache, which keeps them) has already encoded them; null
   * otherwise. The HTTP layer sends these instead of encoding the same text a second time.
   */
  readonly producedBytes?: () => Uint8Array | null;
}
