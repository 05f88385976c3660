import { domainToASCII } from 'node:url';
import ipaddr from 'ipaddr.js';
import { parseIpAddress } from './blocked-addresses';
import { SsrfError } from './errors';

/**
 * The administrator's exceptions to the address block (`REST_ALLOWED_HOSTS`). An entry is
 * - a host name, matched exactly and case-insensitively (no wildcards): the name is trusted,
 *   so whatever addresses it resolves to may be fetched — that is how an internal API behind a
 *   private address is allowed without allowing the whole private range;
 * - an IP address or a CIDR range: those addresses may be fetched whichever name (or literal)
 *   led to them. An IPv4 entry also covers the IPv4-mapped IPv6 form of the same address.
 */
export interface AllowList {
  readonly entries: readonly string[];
  allowsHost(hostname: string): boolean;
  allowsAddress(address: string): boolean;
}

export const ALLOWED_HOSTS_ENV = 'REST_ALLOWED_HOSTS';

type Cidr = [ipaddr.IPv4 | ipaddr.IPv6, number];

const HOST_NAME = /^(?=.{1,253}$)[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?(?:\.[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?)*$/;

function invalid(entry: string, why: string): SsrfError {
  return new SsrfError(
    'INVALID_ALLOW_LIST',
    `${ALLOWED_HOSTS_ENV} entry "${entry}" ${why}; use host names, IP addresses or CIDR ranges separated by commas`,
  );
}

/** Host names compare in the form URLs give them: lower case, punycode, no trailing dot. */
export function normalizeHostName(hostname: string): string {
  const trimmed = hostname.endsWith('.') ? hostname.slice(0, -1) : hostname;
  return domainToASCII(trimmed).toLowerCase() || trimmed.toLowerCase();
}

function parseCidr(entry: string): Cidr {
  const slash = entry.indexOf('/');
  const address = parseIpAddress(entry.slice(0, slash));
  const bitsText = entry.slice(slash + 1);
  const bits = /^\d{1,3}$/.test(bitsText) ? Number(bitsText) : NaN;
  if (address === undefined) throw invalid(entry, 'does not start with an IP address');
  const max = address.kind() === 'ipv4' ? 32 : 128;
  if (!(bits >= 0 && bits <= max)) throw invalid(entry, `has a prefix length outside 0–${max}`);
  return [address, bits];
}

export function compileAllowList(entries: readonly string[]): AllowList {
  const names = new Set<string>();
  const ranges: Cidr[] = [];
  for (const raw of entries) {
    const entry = raw.trim();
    if (entry === '') continue;
    if (entry.includes('://')) throw invalid(entry, 'is a URL, not a host name; give only its host');
    const unbracketed = entry.startsWith('[') && entry.endsWith(']') ? entry.slice(1, -1) : entry;
    if (unbracketed.includes('/')) {
      ranges.push(parseCidr(unbracketed));
      continue;
    }
    const address = parseIpAddress(unbracketed);
    if (address !== undefined) {
      ranges.push([address, address.kind() === 'ipv4' ? 32 : 128]);
      continue;
    }
    if (entry.includes('*')) throw invalid(entry, 'has a wildcard; list each host name');
    if (/^\d+(\.\d+)*$/.test(entry) || /^0x/i.test(entry)) {
      throw invalid(entry, 'is not a dotted-quad IPv4 address (write it as a.b.c.d)');
    }
    const name = normalizeHostName(entry);
    if (!HOST_NAME.test(name)) throw invalid(entry, 'is not a host name, an IP address or a CIDR range');
    names.add(name);
  }

  function inRanges(address: ipaddr.IPv4 | ipaddr.IPv6): boolean {
    return ranges.some(([base, bits]) => base.kind() === address.kind() && address.match(base, bits));
  }

  return {
    entries: [...entries],
    allowsHost(hostname) {
      return names.has(normalizeHostName(hostname));
    },
    allowsAddress(text) {
      const address = parseIpAddress(text);
      if (address === undefined) return false;
      if (inRanges(address)) return true;
      if (address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress()) {
        return inRanges((address as ipaddr.IPv6).toIPv4Address());
      }
      return false;
    },
  };
}

/** Reads the comma-separated env form; an empty or missing value allows nothing. */
export function parseAllowedHostsEnv(value: string | undefined): AllowList {
  const entries = (value ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '');
  return compileAllowList(entries);
}
