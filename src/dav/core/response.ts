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
