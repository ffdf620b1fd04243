import { lookup as dnsLookup } from 'node:dns';
import { lookup } from 'node:dns/promises';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { networkInterfaces } from 'node:os';

/**
 * Addresses the relay refuses unless the operator allows private targets: loopback,
 * RFC 1918 private, carrier-grade NAT (RFC 6598), link-local, unique-local IPv6 (RFC 4193),
 * unspecified, multicast, documentation and reserved ranges (RFC 6890), and every address of
 * this host itself. Stops the relay from being turned on the server's own network (SSRF).
 */
const blockedV4 = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  blockedV4.addSubnet(net, prefix, 'ipv4');
/** IPv6 ranges refused as such (those that embed an IPv4 address are judged by that address). */
const blockedV6 = new BlockList();
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['100::', 64],
  ['2001::', 32],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const)
  blockedV6.addSubnet(net, prefix, 'ipv6');

/** The 16 bytes of an IPv6 address (any textual form of RFC 4291 §2.2, zone id dropped). */
function ipv6Bytes(address: string): Uint8Array {
  let text = address.replace(/%.*$/, '');
  const bytes = new Uint8Array(16);
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const hi = (Number(dotted[1]) << 8) | Number(dotted[2]);
    const lo = (Number(dotted[3]) << 8) | Number(dotted[4]);
    text = `${text.slice(0, dotted.index)}${hi.toString(16)}:${lo.toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? (text.split('::') as [string, string]) : [text, undefined];
  const words = (s: string): number[] => (s === '' ? [] : s.split(':').map((w) => parseInt(w, 16)));
  const front = words(head);
  const back = tail === undefined ? [] : words(tail);
  const all = [...front, ...new Array<number>(8 - front.length - back.length).fill(0), ...back];
  all.forEach((w, i) => {
    bytes[2 * i] = w >> 8;
    bytes[2 * i + 1] = w & 0xff;
  });
  return bytes;
}

const startsWith = (b: Uint8Array, prefix: readonly number[]): boolean => prefix.every((x, i) => b[i] === x);
const v4At = (b: Uint8Array, i: number): string => `${b[i]}.${b[i + 1]}.${b[i + 2]}.${b[i + 3]}`;

/**
 * The IPv4 address an IPv6 address carries, for the forms that reach it: IPv4-compatible
 * `::a.b.c.d` and IPv4-mapped `::ffff:a.b.c.d` (RFC 4291 §2.5.5), IPv4-translated
 * `::ffff:0:a.b.c.d` (RFC 2765), NAT64 `64:ff9b::/96` and `64:ff9b:1::/48` (RFC 6052, RFC 8215),
 * 6to4 `2002:AABB:CCDD::/48` (RFC 3056).
 */
export function embeddedIpv4(address: string): string | null {
  const b = ipv6Bytes(address);
  const zeros = (n: number): number[] => new Array<number>(n).fill(0);
  if (
    startsWith(b, zeros(12)) ||
    startsWith(b, [...zeros(10), 0xff, 0xff]) ||
    startsWith(b, [...zeros(8), 0xff, 0xff, 0, 0])
  )
    return v4At(b, 12);
  if (startsWith(b, [0, 0x64, 0xff, 0x9b, ...zeros(8)]) || startsWith(b, [0, 0x64, 0xff, 0x9b, 0, 1]))
    return v4At(b, 12);
  if (startsWith(b, [0x20, 0x02])) return v4At(b, 2);
  return null;
}

/** A set of addresses as isPrivateAddress compares them (any IPv6 spelling matches). */
export function addressSet(addresses: Iterable<string>): Set<string> {
  const out = new Set<string>();
  for (const a of addresses) out.add(canonical(a));
  return out;
}

/** Every address of this host's own interfaces (read each time: interfaces come and go). */
function ownAddresses(): Set<string> {
  return addressSet(Object.values(networkInterfaces()).flatMap((list) => (list ?? []).map((a) => a.address)));
}

function canonical(address: string): string {
  const bare = address.replace(/%.*$/, '').toLowerCase();
  return isIP(bare) === 6 ? Array.from(ipv6Bytes(bare)).join('.') : bare;
}

/** Whether the relay must refuse `address`; `own` = this host's addresses (an addressSet; default: its interfaces). */
export function isPrivateAddress(address: string, own: ReadonlySet<string> = ownAddresses()): boolean {
  const bare = address.replace(/%.*$/, '');
  const family = isIP(bare);
  if (family === 0) return true;
  if (own.has(canonical(bare))) return true;
  if (family === 4) return blockedV4.check(bare, 'ipv4');
  const v4 = embeddedIpv4(bare);
  if (v4 !== null) return own.has(v4) || blockedV4.check(v4, 'ipv4');
  return blockedV6.check(bare, 'ipv6');
}

export class AddressRefused extends Error {}

function refusal(host: string, address: string): AddressRefused {
  return new AddressRefused(
    `${host} resolves to ${address}, a loopback or private address, or one of this host's own; the server's operator must allow LAN and loopback servers: start almanac serve with --relay-allow-private (or the environment variable ALMANAC_RELAY_ALLOW_PRIVATE=1)`,
  );
}

/** Throw AddressRefused unless every one of `addresses` may be reached. */
export function checkAddresses(host: string, addresses: readonly string[], allowPrivate: boolean): void {
  if (allowPrivate) return;
  const bad = addresses.find((a) => isPrivateAddress(a));
  if (bad !== undefined) throw refusal(host, bad);
}

/**
 * Resolve `host` and check every answer (a quick refusal when an account is added; the relay
 * checks again on every connection, see policyLookup and checkConnectedAddress).
 */
export async function resolveTarget(host: string, allowPrivate: boolean): Promise<{ address: string; family: number }> {
  const bare = host.startsWith('[') ? host.slice(1, -1) : host;
  const answers = isIP(bare)
    ? [{ address: bare, family: isIP(bare) }]
    : await lookup(bare, { all: true, verbatim: true });
  if (answers.length === 0) throw new AddressRefused(`${host} does not resolve`);
  checkAddresses(
    host,
    answers.map((a) => a.address),
    allowPrivate,
  );
  return answers[0]!;
}

/**
 * A `lookup` for the relay's connections: the name is resolved when the connection is made and
 * the answer checked then, so the address connected to is the one judged (no DNS rebinding gap
 * between a check and the connect), on the first request and after every redirect.
 */
export function policyLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { all: true, verbatim: true, family: options.family ?? 0 }, (err, answers) => {
      if (err) return callback(err, '', 0);
      try {
        if (answers.length === 0) throw new AddressRefused(`${hostname} does not resolve`);
        checkAddresses(
          hostname,
          answers.map((a) => a.address),
          allowPrivate,
        );
      } catch (refused) {
        return callback(refused as NodeJS.ErrnoException, '', 0);
      }
      if (options.all) (callback as unknown as (e: null, a: typeof answers) => void)(null, answers);
      else callback(null, answers[0]!.address, answers[0]!.family);
    });
  };
}

/**
 * The last check, on the socket itself once it is connected: whatever way the address was
 * found (a literal in the URL is connected to without any lookup), it must pass the policy.
 */
export function checkConnectedAddress(host: string, remoteAddress: string | undefined, allowPrivate: boolean): void {
  checkAddresses(host, [remoteAddress ?? ''], allowPrivate);
}
