import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * Which IP addresses a user's URL must not reach: everything that is not a public unicast
 * address. The explicit tables name the ranges people ask about (and keep them blocked whatever
 * ipaddr.js's version calls them); ipaddr.js's own `range()` catches the rest of its special
 * ranges. IPv6 forms that carry an IPv4 address are judged by that address, because that is
 * where the packets end up.
 */

type Range = readonly [cidr: string, reason: string];

const BLOCKED_IPV4: readonly Range[] = [
  ['0.0.0.0/8', 'an unspecified ("this network") address'],
  ['127.0.0.0/8', 'a loopback address'],
  ['10.0.0.0/8', 'a private address'],
  ['172.16.0.0/12', 'a private address'],
  ['192.168.0.0/16', 'a private address'],
  ['169.254.0.0/16', 'a link-local address (where cloud metadata services answer)'],
  ['100.64.0.0/10', 'a carrier-grade NAT address'],
  ['224.0.0.0/4', 'a multicast address'],
  ['255.255.255.255/32', 'the broadcast address'],
  ['240.0.0.0/4', 'a reserved address'],
  ['198.18.0.0/15', 'a benchmarking address'],
  ['192.0.0.0/24', 'an IETF protocol address'],
  ['192.0.2.0/24', 'a documentation address'],
  ['198.51.100.0/24', 'a documentation address'],
  ['203.0.113.0/24', 'a documentation address'],
];

const BLOCKED_IPV6: readonly Range[] = [
  ['::/128', 'the unspecified address'],
  ['::1/128', 'a loopback address'],
  ['fe80::/10', 'a link-local address'],
  ['fec0::/10', 'a site-local address'],
  ['fc00::/7', 'a unique local (private) address'],
  ['ff00::/8', 'a multicast address'],
  // Local-use NAT64 prefix (RFC 8215): translated by a gateway inside the network.
  ['64:ff9b:1::/48', 'a local-use NAT64 address'],
  // Teredo tunnels to an IPv4 server we cannot judge from here.
  ['2001::/32', 'a Teredo tunnel address'],
];

/** IPv6 forms whose packets go to the IPv4 address they carry, with where that address sits. */
const EMBEDDING_IPV6: readonly (readonly [cidr: string, kind: string, firstByte: number])[] = [
  ['::ffff:0:0/96', 'an IPv4-mapped address', 12],
  ['::ffff:0:0:0/96', 'an IPv4-translated address', 12],
  ['64:ff9b::/96', 'a NAT64 address', 12],
  ['2002::/16', 'a 6to4 address', 2],
];

function compile<T extends readonly [string, ...unknown[]]>(table: readonly T[]) {
  return table.map((row) => ({ range: ipaddr.parseCIDR(row[0]), row }));
}

const ipv4Ranges = compile(BLOCKED_IPV4);
const ipv6Ranges = compile(BLOCKED_IPV6);
const embeddingRanges = compile(EMBEDDING_IPV6);
const ipv4CompatibleRange = ipaddr.parseCIDR('::/96');

/** The IPv4 address an IPv6 form carries, if it is one of the embedding forms. */
export function embeddedIpv4(address: ipaddr.IPv6): { kind: string; ipv4: ipaddr.IPv4 } | undefined {
  for (const { range, row } of embeddingRanges) {
    if (address.match(range)) {
      const bytes = address.toByteArray();
      const at = row[2];
      return { kind: row[1], ipv4: new ipaddr.IPv4(bytes.slice(at, at + 4)) };
    }
  }
  return undefined;
}

function ipv4Reason(address: ipaddr.IPv4): string | undefined {
  for (const { range, row } of ipv4Ranges) {
    if (address.match(range)) return row[1];
  }
  const range = address.range();
  return range === 'unicast' ? undefined : `a special-purpose address (${range})`;
}

function ipv6Reason(address: ipaddr.IPv6): string | undefined {
  for (const { range, row } of ipv6Ranges) {
    if (address.match(range)) return row[1];
  }
  const embedded = embeddedIpv4(address);
  if (embedded) {
    const inner = ipv4Reason(embedded.ipv4);
    return inner === undefined ? undefined : `${embedded.kind} embedding ${embedded.ipv4.toString()}, ${inner}`;
  }
  if (address.match(ipv4CompatibleRange)) {
    // Deprecated (RFC 4291) and never a public server's address; some stacks still route it
    // to the IPv4 address in its last 32 bits.
    const ipv4 = new ipaddr.IPv4(address.toByteArray().slice(12, 16));
    const inner = ipv4Reason(ipv4);
    return `an IPv4-compatible address embedding ${ipv4.toString()}${inner ? `, ${inner}` : ' (a deprecated form)'}`;
  }
  const range = address.range();
  return range === 'unicast' ? undefined : `a special-purpose address (${range})`;
}

/**
 * The address as the socket will see it, parsed. Only the strict forms `net.connect` accepts
 * count (dotted-quad IPv4, RFC 4291 IPv6 with an optional zone); IPv6 goes through the WHATWG
 * serializer first, because ipaddr.js reads `::a.b.c.d` as IPv4-mapped while the network stack
 * reads it as IPv4-compatible.
 */
export function parseIpAddress(address: string): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  const version = isIP(address);
  if (version === 4) return ipaddr.IPv4.parse(address);
  if (version !== 6) return undefined;
  const zoneAt = address.indexOf('%');
  const bare = zoneAt === -1 ? address : address.slice(0, zoneAt);
  try {
    return ipaddr.IPv6.parse(new URL(`http://[${bare}]/`).hostname.slice(1, -1));
  } catch {
    return undefined;
  }
}

/**
 * Why `address` may not be fetched, as a phrase ("a loopback address"), or undefined for a
 * public address. Anything that is not an IP address in a form a socket takes is blocked too.
 */
export function blockedReason(address: string): string | undefined {
  const parsed = parseIpAddress(address);
  if (parsed === undefined) return 'not an IP address';
  return parsed.kind() === 'ipv4' ? ipv4Reason(parsed as ipaddr.IPv4) : ipv6Reason(parsed as ipaddr.IPv6);
}
