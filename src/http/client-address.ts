/**
 * The address a request comes from: the TCP peer, or — only when that peer is a reverse proxy
 * the operator named with `--trusted-proxies` — the client the proxy forwarded for, read from
 * X-Forwarded-For. Everything that judges a request by its source (the brute-force throttle's
 * address counts and trusted addresses, domain/throttle.ts) reads it here, so there is one rule.
 *
 * A client reaching the server directly cannot choose its address: from an untrusted peer the
 * headers are never read. Behind trusted proxies X-Forwarded-For is read from the right, where
 * each proxy appends the address it received the request from; the first address from the right
 * that is not itself a trusted proxy is the client, and whatever lies left of it (which the client
 * may have written itself) is ignored.
 *
 * RFC 7239 `Forwarded` is not read: a proxy that appends to one of the two headers passes the
 * other on as the client sent it, so reading both would let the client pick its address.
 */
import { BlockList, isIP } from 'node:net';
import type { IncomingMessage } from 'node:http';

/** The most X-Forwarded-For entries examined (from the right): a chain longer than this is not a real one. */
const MAX_FORWARDED_HOPS = 32;

export interface TrustedProxies {
  /** The entries as configured, for messages. */
  readonly entries: readonly string[];
  has(address: string): boolean;
}

/** IPv4-mapped IPv6 (`::ffff:a.b.c.d`, what a dual-stack socket reports) as plain IPv4; IPv6 zone removed. */
function normalise(address: string): string {
  const a = address.trim().toLowerCase().replace(/%.*$/, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(a);
  return mapped?.[1] ?? a;
}

export type TrustedProxiesParse = { readonly ok: TrustedProxies } | { readonly error: string };

/**
 * `--trusted-proxies`: comma-separated IPv4/IPv6 addresses and CIDR blocks (`10.0.0.0/8`,
 * `fd00::/8`); empty or unset = none, the TCP peer is always the client.
 */
export function parseTrustedProxies(list: string | readonly string[] | undefined): TrustedProxiesParse {
  const entries = (typeof list === 'string' ? list.split(',') : (list ?? []))
    .map((e) => e.trim())
    .filter((e) => e !== '');
  const blocks = new BlockList();
  for (const entry of entries) {
    const [addr = '', prefix, extra] = entry.split('/');
    const address = normalise(addr);
    const family = isIP(address);
    if (family === 0 || extra !== undefined) return { error: `'${entry}' is not an IP address or CIDR block` };
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (prefix === undefined) {
      blocks.addAddress(address, type);
      continue;
    }
    const bits = /^\d{1,3}$/.test(prefix) ? Number(prefix) : NaN;
    if (!(bits >= 0 && bits <= (family === 4 ? 32 : 128))) return { error: `'${entry}' has an invalid prefix length` };
    blocks.addSubnet(address, bits, type);
  }
  return {
    ok: {
      entries,
      has(address: string): boolean {
        const a = normalise(address);
        const family = isIP(a);
        return entries.length > 0 && family !== 0 && blocks.check(a, family === 4 ? 'ipv4' : 'ipv6');
      },
    },
  };
}

/** One X-Forwarded-For entry as an address: `a.b.c.d`, `a.b.c.d:port`, `v6`, `[v6]` or `[v6]:port`; null if none. */
function forwardedAddress(entry: string): string | null {
  let e = entry.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(e);
  if (bracketed?.[1]) e = bracketed[1];
  else if (/^\d+\.\d+\.\d+\.\d+:\d+$/.test(e)) e = e.slice(0, e.lastIndexOf(':'));
  const a = normalise(e);
  return isIP(a) === 0 ? null : a;
}

/** The X-Forwarded-For entries of every such header line, in order. */
function forwardedFor(req: IncomingMessage): string[] {
  const raw = req.headersDistinct['x-forwarded-for'] ?? [];
  return raw.join(',').split(',');
}

/** Whether the TCP peer is one of the trusted proxies (whose X-Forwarded-* headers may be read). */
export function fromTrustedProxy(req: IncomingMessage, trusted: TrustedProxies): boolean {
  return trusted.has(normalise(req.socket.remoteAddress ?? 'unknown'));
}

/**
 * The request's client address (see the file comment). 'unknown' only when the socket no longer
 * knows its peer.
 */
export function clientAddress(req: IncomingMessage, trusted: TrustedProxies): string {
  let address = normalise(req.socket.remoteAddress ?? 'unknown');
  if (!trusted.has(address)) return address;
  const hops = forwardedFor(req);
  for (let i = hops.length - 1; i >= 0 && i >= hops.length - MAX_FORWARDED_HOPS; i--) {
    const hop = forwardedAddress(hops[i] ?? '');
    // A trusted proxy passed on something that is no address: the nearest known hop stands.
    if (hop === null) return address;
    address = hop;
    if (!trusted.has(hop)) return hop;
  }
  return address;
}
