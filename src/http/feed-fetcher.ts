import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { gunzip } from 'node:zlib';
import {
  FeedError,
  type FeedAnswer,
  type FeedFetcher,
  type FeedRequest,
} from '../domain/subscriptions/feed-fetcher.js';
import { AddressRefused, checkAddresses, checkConnectedAddress, policyLookup } from './app/address-policy.js';

/** The bounds of one feed fetch (docs/SECURITY.md). */
export interface FeedLimits {
  /** Largest feed body, after decompression. */
  readonly maxBytes: number;
  /** The whole fetch, redirects included, must be done within this. */
  readonly timeoutMs: number;
  readonly maxRedirects: number;
  /** Reach loopback/private addresses (`--relay-allow-private`), as the relay does. */
  readonly allowPrivate: boolean;
}

export const DEFAULT_FEED_LIMITS: FeedLimits = {
  maxBytes: 10 * 1024 * 1024,
  timeoutMs: 30_000,
  maxRedirects: 5,
  allowPrivate: false,
};

interface Hop {
  readonly status: number;
  readonly headers: IncomingMessage['headers'];
  readonly body: Buffer;
}

function header(h: IncomingMessage['headers'], name: string): string | null {
  const v = h[name];
  return typeof v === 'string' ? v : null;
}

/** One request, bounded in size and time, to an address the policy allows (checked at connect time). */
function fetchOnce(url: URL, headers: Record<string, string>, limits: FeedLimits, deadline: number): Promise<Hop> {
  const literal = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  if (isIP(literal)) checkAddresses(url.hostname, [literal], limits.allowPrivate);
  const fn = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    // No pooled connection: feeds are fetched minutes apart, and a kept-alive socket the server
    // has closed meanwhile would fail the next fetch (ECONNRESET).
    const req = fn(url, { method: 'GET', headers, agent: false, lookup: policyLookup(limits.allowPrivate) }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const declared = Number(res.headers['content-length'] ?? NaN);
      if (res.statusCode === 200 && declared > limits.maxBytes) {
        req.destroy(new FeedError(`the feed is larger than ${limits.maxBytes} bytes (${declared})`));
        return;
      }
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > limits.maxBytes) {
          req.destroy(new FeedError(`the feed is larger than ${limits.maxBytes} bytes`));
          return;
        }
        chunks.push(c);
      });
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 502, headers: res.headers, body: Buffer.concat(chunks) }),
      );
      res.on('error', reject);
    });
    const timer = setTimeout(
      () => req.destroy(new FeedError(`no complete answer within ${limits.timeoutMs / 1000} s`)),
      Math.max(0, deadline - Date.now()),
    );
    req.on('close', () => clearTimeout(timer));
    req.on('socket', (socket) => {
      const judge = (): void => {
        try {
          checkConnectedAddress(url.hostname, socket.remoteAddress, limits.allowPrivate);
        } catch (refused) {
          req.destroy(refused as Error);
        }
      };
      if (socket.connecting) socket.once('connect', judge);
      else judge();
    });
    req.on('error', reject);
    req.end();
  });
}

function gunzipBounded(body: Buffer, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    gunzip(body, { maxOutputLength: maxBytes }, (err, out) => {
      if (err)
        reject(
          new FeedError(
            (err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE'
              ? `the feed is larger than ${maxBytes} bytes`
              : `bad gzip data: ${err.message}`,
          ),
        );
      else resolve(out);
    });
  });
}

/**
 * The feed fetcher subscriptions use: outbound GET under the relay's address policy (a name is
 * judged when it is resolved at connect time, the connected socket once more, on every hop),
 * conditional (If-None-Match / If-Modified-Since, RFC 9110 §13.1), at most `maxRedirects`
 * redirects, `maxBytes` of body (after gzip), and `timeoutMs` for everything.
 */
export function httpFeedFetcher(limits: FeedLimits = DEFAULT_FEED_LIMITS): FeedFetcher {
  return async (request: FeedRequest): Promise<FeedAnswer> => {
    const deadline = Date.now() + limits.timeoutMs;
    const headers: Record<string, string> = {
      'User-Agent': 'Almanac-subscriptions',
      Accept: 'text/calendar, */*;q=0.5',
      'Accept-Encoding': 'gzip',
    };
    if (request.etag !== null) headers['If-None-Match'] = request.etag;
    if (request.lastModified !== null) headers['If-Modified-Since'] = request.lastModified;
    let url = new URL(request.url);
    try {
      for (let hop = 0; ; hop++) {
        if (url.protocol !== 'http:' && url.protocol !== 'https:')
          throw new FeedError(`redirected to a ${url.protocol} URL; not followed`);
        const res = await fetchOnce(url, headers, limits, deadline);
        const location = header(res.headers, 'location');
        if ([301, 302, 303, 307, 308].includes(res.status) && location !== null) {
          if (hop >= limits.maxRedirects) throw new FeedError(`more than ${limits.maxRedirects} redirects`);
          url = new URL(location, url);
          continue;
        }
        if (res.status === 304 && (request.etag !== null || request.lastModified !== null))
          return { kind: 'not-modified' };
        if (res.status !== 200) throw new FeedError(`the server answered ${res.status}`);
        const gzipped = (header(res.headers, 'content-encoding') ?? '').toLowerCase() === 'gzip';
        const body = gzipped ? await gunzipBounded(res.body, limits.maxBytes) : res.body;
        return {
          kind: 'ok',
          body,
          contentType: header(res.headers, 'content-type'),
          etag: header(res.headers, 'etag'),
          lastModified: header(res.headers, 'last-modified'),
        };
      }
    } catch (err) {
      if (err instanceof FeedError) throw err;
      if (err instanceof AddressRefused) throw new FeedError(err.message);
      throw new FeedError(`could not fetch ${url.host}: ${(err as Error).message}`);
    }
  };
}
