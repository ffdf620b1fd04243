/**
 * The port through which subscriptions fetch their feeds. The implementation (outbound HTTP
 * under the relay's address policy and the limits of docs/SECURITY.md) lives in
 * `http/feed-fetcher.ts` and is handed in by the composition root: the domain does no I/O.
 */
export interface FeedRequest {
  /** An http: or https: URL (webcal: already rewritten, see feedUrl). */
  readonly url: string;
  /** Validators of the last 200 answer (RFC 9110 §13.1.2, §13.1.3). */
  readonly etag: string | null;
  readonly lastModified: string | null;
}

export type FeedAnswer =
  | { readonly kind: 'not-modified' }
  | {
      readonly kind: 'ok';
      readonly body: Uint8Array;
      readonly contentType: string | null;
      readonly etag: string | null;
      readonly lastModified: string | null;
    };

export type FeedFetcher = (request: FeedRequest) => Promise<FeedAnswer>;

/** Why a feed could not be fetched: recorded as the subscription's last error, old data kept. */
export class FeedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FeedError';
  }
}
