/**
 * `/healthz` and `/metrics` (issue #19). Both are answered before authentication, and neither
 * names a user, a path or a collection.
 *
 * - `/healthz`: 200 `ok` when this node can read its store, 503 when it cannot or is shutting
 *   down (so a load balancer stops sending it requests while it drains). Open to anyone.
 * - `/metrics`: Prometheus text (metrics.ts). Open to a client on loopback that reaches the
 *   server directly — no X-Forwarded-For, Forwarded or X-Real-IP, which a proxy on the same
 *   host would add — and, when `--metrics-token` is set, to anyone sending
 *   `Authorization: Bearer TOKEN`. Everyone else gets 403.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { BlockList } from 'node:net';
import type { DavResponse } from '../dav/core/context.js';
import type { DavSettings } from '../dav/index.js';
import type { ChangeBus } from '../push/index.js';
import type { Store } from '../store/store.js';
import { NS_SESSION } from '../syncml/session-record.js';
import type { ServerConfig } from './config.js';
import { exposition, type Family, type HttpMetrics } from './metrics.js';

export const OPS_PATHS = new Set(['/healthz', '/metrics']);

/** What the two endpoints read of the running server. */
export interface OpsState {
  readonly http: HttpMetrics;
  /** Live push subscriptions (the web app's event streams) on this node. */
  pushSubscribers(): number;
  /** Whether the server is draining for shutdown. */
  closing(): boolean;
}

interface OpsServices {
  readonly store: Store;
  readonly config: ServerConfig;
  readonly settings: DavSettings;
  readonly ops: OpsState;
}

const TEXT = { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' };
const PROMETHEUS = { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8', 'Cache-Control': 'no-store' };
const STARTED = Date.now() / 1000;

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

function fromLoopbackDirectly(req: IncomingMessage): boolean {
  const h = req.headers;
  if (h['x-forwarded-for'] !== undefined || h.forwarded !== undefined || h['x-real-ip'] !== undefined) return false;
  const peer = (req.socket.remoteAddress ?? '').replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '');
  return LOOPBACK.check(peer, peer.includes(':') ? 'ipv6' : 'ipv4');
}

function digest(s: string): Buffer {
  return createHash('sha256').update(s).digest();
}

function hasToken(req: IncomingMessage, token: string | undefined): boolean {
  const given = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1];
  return token !== undefined && token !== '' && given !== undefined && timingSafeEqual(digest(given), digest(token));
}

function gauge(name: string, help: string, value: number): Family {
  return { name, help, type: 'gauge', samples: [{ value }] };
}

function cacheFamilies(settings: DavSettings): Family[] {
  const stats = Object.entries(settings.caches.stats());
  const of = (field: 'hits' | 'misses' | 'evictions' | 'entries' | 'bytes') =>
    stats.map(([cache, s]) => ({ labels: { cache }, value: s[field] }));
  return [
    { name: 'almanac_cache_hits_total', help: 'Cache lookups that found a value.', type: 'counter', samples: of('hits') },
    { name: 'almanac_cache_misses_total', help: 'Cache lookups that found none.', type: 'counter', samples: of('misses') },
    { name: 'almanac_cache_evictions_total', help: 'Entries dropped to stay within bounds.', type: 'counter', samples: of('evictions') },
    { name: 'almanac_cache_entries', help: 'Entries held.', type: 'gauge', samples: of('entries') },
    { name: 'almanac_cache_bytes', help: 'Approximate bytes held.', type: 'gauge', samples: of('bytes') },
  ]; // prettier-ignore
}

/** What the store holds, and the queues in it; `almanac_store_up` 0 when it could not be read. */
async function storeFamilies(store: Store): Promise<Family[]> {
  try {
    const [stats, sessions] = await Promise.all([store.storeStats(), store.countValues(NS_SESSION, Date.now())]);
    return [
      gauge('almanac_store_up', 'Whether the store answered this scrape.', 1),
      gauge('almanac_store_users', 'Accounts.', stats.users),
      gauge('almanac_store_collections', 'Collections of every kind.', stats.collections),
      gauge('almanac_store_objects', 'Stored resources that are not collections.', stats.objects),
      gauge('almanac_itip_queue_waiting', 'Outbound iTIP (email) messages not yet sent.', stats.itipWaiting),
      gauge('almanac_syncml_sessions', 'SyncML sessions open (not expired), every node.', sessions),
    ];
  } catch {
    return [gauge('almanac_store_up', 'Whether the store answered this scrape.', 0)];
  }
}

function processFamilies(ops: OpsState): Family[] {
  const cpu = process.cpuUsage();
  return [
    gauge('almanac_push_subscribers', 'Live push subscriptions (web app event streams) on this node.', ops.pushSubscribers()),
    gauge('process_resident_memory_bytes', 'Resident memory.', process.memoryUsage.rss()),
    { name: 'process_cpu_seconds_total', help: 'User and system CPU time.', type: 'counter', samples: [{ value: (cpu.user + cpu.system) / 1e6 }] },
    gauge('process_start_time_seconds', 'Start of the process, seconds since the epoch.', STARTED),
  ]; // prettier-ignore
}

async function health(s: OpsServices): Promise<DavResponse> {
  if (s.ops.closing()) return { status: 503, headers: TEXT, body: 'stopping\n' };
  try {
    await s.store.getValue('healthz', 'probe', Date.now());
    return { status: 200, headers: TEXT, body: 'ok\n' };
  } catch {
    return { status: 503, headers: TEXT, body: 'store unavailable\n' };
  }
}

/** Answer `/healthz` or `/metrics` (a path in OPS_PATHS). */
export async function opsRoute(s: OpsServices, req: IncomingMessage, path: string): Promise<DavResponse> {
  if (req.method !== 'GET' && req.method !== 'HEAD')
    return { status: 405, headers: { ...TEXT, Allow: 'GET, HEAD' }, body: 'method not allowed\n' };
  if (path === '/healthz') return health(s);
  if (!fromLoopbackDirectly(req) && !hasToken(req, s.config.metricsToken))
    return { status: 403, headers: TEXT, body: 'metrics are served to loopback or with --metrics-token\n' };
  const families = [
    ...s.ops.http.families(),
    ...cacheFamilies(s.settings),
    ...(await storeFamilies(s.store)),
    ...processFamilies(s.ops),
  ];
  return { status: 200, headers: PROMETHEUS, body: exposition(families) };
}

/** The bus with a count of its live subscriptions, for `almanac_push_subscribers`. */
export function countingSubscribers(bus: ChangeBus): { readonly bus: ChangeBus; count(): number } {
  let live = 0;
  const counted: ChangeBus = {
    publish: (notices) => bus.publish(notices),
    subscribe(listener) {
      const unsubscribe = bus.subscribe(listener);
      live += 1;
      let done = false;
      return () => {
        if (!done) live -= 1;
        done = true;
        unsubscribe();
      };
    },
    close: () => bus.close(),
  };
  return { bus: counted, count: () => live };
}
