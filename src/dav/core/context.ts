import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import type { Store } from '../../store/store.js';
import type { User } from '../../store/types.js';
import type { XmlLimits } from '../../xml/limits.js';
import type { Caches } from '../../domain/caches.js';
import type { Principal } from '../../domain/objects/privileges.js';
import type { Mount } from './mount.js';

/** Limits and settings the DAV engine needs from the server configuration. */
export interface DavSettings {
  readonly maxUploadBytes: number;
  readonly xml: XmlLimits;
  /** Longest lock timeout granted, seconds; `Infinite` requests get this. */
  readonly maxLockSeconds: number;
  /** The server's caches (domain/caches.ts): report answers, member fragments, calendar objects, member listings. */
  readonly caches: Caches;
  /** WebDAV-Push (dav/push/), when the server delivers push messages; absent = not advertised. */
  readonly push?: PushSettings;
}

/** What the WebDAV-Push properties and registrations need from the server (draft-bitfire-webdav-push). */
interface PushSettings {
  /** The VAPID public key (RFC 8292 §3.2), uncompressed P-256, base64url. */
  readonly vapidPublicKey: string;
  /** Most unexpired registrations one user may hold. */
  readonly maxPerUser: number;
  /** Test-only: accept `http://` push resources on a loopback address. Off in every real server. */
  readonly allowLoopbackHttp: boolean;
  /**
   * Told of a subscription just registered (or renewed), so the push layer can make its first
   * message's keys in idle time (push/rfc8291.ts `prepareKeying`).
   */
  readonly registered?: (subscription: { readonly publicKey: string; readonly authSecret: string }) => void;
}

/** Everything one DAV request handler may use. No HTTP objects beyond headers and the body. */
/** Its `registry` field (this server's definitions) is declared in registry.ts, which the definitions' types need. */
export interface DavContext {
  readonly store: Store;
  /** The authenticated user, with what stored ACEs grant them (loaded once per request). */
  readonly user: User & Principal;
  readonly method: string;
  /** Store path of the request URI. */
  readonly path: string;
  /**
   * Set when the request URI lies at or below a sharee's instance of a shared collection: `path`
   * is then the shared collection's own path (dav/core/mount.ts).
   */
  readonly mount?: Mount;
  /** Whether the request URI ended with a slash. */
  readonly trailingSlash: boolean;
  readonly headers: IncomingHttpHeaders;
  readonly settings: DavSettings;
  readonly now: number;
  /** The request body as a stream (PUT); each request reads its body once. */
  readonly body: Readable;
  /** `scheme://host[:port]` the client reached, when known (for absolute URLs such as Location). */
  readonly origin?: string;
  /** Read the whole body, refusing more than `limit` bytes with 413. */
  readBody(limit: number): Promise<Buffer>;
}

export type { DavResponse } from './response.js';

export function header(ctx: DavContext, name: string): string | undefined {
  const v = ctx.headers[name.toLowerCase()];
  return Array.isArray(v) ? v.join(', ') : v;
}
