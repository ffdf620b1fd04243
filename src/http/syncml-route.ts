/**
 * POST /syncml (SyncML HTTP binding; digest §1): the body is one SyncML message in XML or WBXML,
 * the answer one message in the same encoding. SyncML errors travel inside a 200 response; HTTP
 * errors only when no SyncML answer is possible.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import type { DavResponse } from '../dav/core/context.js';
import { syncmlPorts } from '../domain/syncml/index.js';
import type { Store } from '../store/store.js';
import { MAX_MESSAGE_BYTES, SyncmlServer } from '../syncml/server.js';
import { bodyReader } from './body.js';
import type { AuthThrottle } from '../domain/throttle.js';
import type { Credentials } from '../domain/accounts/credentials.js';

export const SYNCML_PATH = '/syncml';

const servers = new WeakMap<Store, SyncmlServer>();

/**
 * `maxUploadBytes`: the server's upload limit, so a SyncML item meets the same limit as a PUT;
 * `address`: the client's address (client-address.ts), for the brute-force throttle.
 */
export async function handleSyncml(
  store: Store,
  req: IncomingMessage,
  maxUploadBytes: number,
  throttle: AuthThrottle,
  address: string,
  credentials?: Credentials,
): Promise<DavResponse> {
  if (req.method !== 'POST') {
    return {
      status: 405,
      headers: { Allow: 'POST', 'Content-Type': 'text/plain; charset=utf-8' },
      body: 'SyncML needs POST\n',
    };
  }
  let server = servers.get(store);
  if (!server) {
    server = new SyncmlServer({
      ...syncmlPorts(store, { maxUploadBytes, throttle, credentials }),
      conflictPolicy: conflictPolicy(),
    });
    servers.set(store, server);
  }
  const url = requestUrl(req);
  if (!url)
    return {
      status: 400,
      headers: { 'Content-Type': 'text/plain; charset=utf-8' },
      body: 'malformed request target or Host header\n',
    };
  const body = await bodyReader(req)(MAX_MESSAGE_BYTES);
  const r = await server.handle({
    body,
    contentType: req.headers['content-type'],
    endpoint: `${url.origin}${SYNCML_PATH}`,
    token: url.searchParams.get('sid'),
    authorization: req.headers.authorization,
    clientAddress: address,
  });
  dump(body, r.body);
  return {
    status: r.status,
    headers: { 'Content-Type': r.contentType, 'Cache-Control': 'no-store' },
    body: Buffer.from(r.body),
  };
}

/** The request URL (its origin names the RespURI's endpoint); null when target or Host do not form one. */
function requestUrl(req: IncomingMessage): URL | null {
  try {
    return new URL(req.url ?? SYNCML_PATH, `http://${req.headers.host ?? 'localhost'}`);
  } catch {
    return null;
  }
}

let dumped = 0;
/** ALMANAC_SYNCML_DUMP=DIR: keep every SyncML request and response there (debugging clients). */
function dump(req: Uint8Array, res: Uint8Array): void {
  const dir = process.env['ALMANAC_SYNCML_DUMP'];
  if (!dir) return;
  dumped += 1;
  const n = String(dumped).padStart(4, '0');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${n}-req`), req);
  writeFileSync(join(dir, `${n}-resp`), res);
}

/** ALMANAC_SYNCML_CONFLICT: server-wins (default), client-wins or duplicate. */
function conflictPolicy(): 'server-wins' | 'client-wins' | 'duplicate' {
  const v = process.env['ALMANAC_SYNCML_CONFLICT'];
  return v === 'client-wins' || v === 'duplicate' ? v : 'server-wins';
}
