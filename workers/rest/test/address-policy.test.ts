import { describe, expect, it } from 'vitest';
import { compileAllowList, parseAllowedHostsEnv } from '../allowed-hosts';
import { blockedReason } from '../blocked-addresses';
import { SsrfError } from '../errors';

describe('blocked addresses', () => {
  it.each([
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['240.0.0.1', 'reserved'],
    ['198.18.0.1', 'benchmarking'],
    ['198.19.255.255', 'benchmarking'],
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['fc00::1', 'unique local'],
    ['fd12:3456::1', 'unique local'],
    ['ff02::1', 'multicast'],
    ['::ffff:127.0.0.1', 'IPv4-mapped address embedding 127.0.0.1, a loopback'],
    ['::ffff:7f00:1', 'IPv4-mapped address embedding 127.0.0.1, a loopback'],
    ['::ffff:a9fe:a9fe', 'embedding 169.254.169.254, a link-local'],
    ['::7f00:1', 'IPv4-compatible address embedding 127.0.0.1, a loopback'],
    ['::127.0.0.1', 'IPv4-compatible address embedding 127.0.0.1'],
    ['64:ff9b::a00:1', 'NAT64 address embedding 10.0.0.1, a private'],
    ['64:ff9b::127.0.0.1', 'NAT64 address embedding 127.0.0.1'],
    ['2002:7f00:1::1', '6to4 address embedding 127.0.0.1, a loopback'],
    ['2002:c0a8:101::', '6to4 address embedding 192.168.1.1, a private'],
  ])('refuses %s (%s)', (address, reason) => {
    expect(blockedReason(address)).toContain(reason);
  });

  it.each(['8.8.8.8', '1.1.1.1', '172.32.0.1', '100.128.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8', '64:ff9b::808:808', '2002:808:808::1'])(
    'lets the public address %s through',
    (address) => {
      expect(blockedReason(address)).toBeUndefined();
    },
  );

  it('refuses what a socket would not read as an address, whatever another parser makes of it', () => {
    for (const text of ['127.1', '0x7f.0.0.1', '0177.0.0.1', '2130706433', 'localhost', '']) {
      expect(blockedReason(text)).toBe('not an IP address');
    }
  });
});

describe('allowed hosts', () => {
  it('reads the env form: comma-separated names, addresses and ranges', () => {
    const allow = parseAllowedHostsEnv(' api.internal.example , 127.0.0.1,10.0.0.0/8, [::1], fd00::/8 ,');
    expect(allow.allowsHost('API.Internal.Example')).toBe(true);
    expect(allow.allowsHost('api.internal.example.')).toBe(true);
    expect(allow.allowsHost('other.internal.example')).toBe(false);
    expect(allow.allowsAddress('127.0.0.1')).toBe(true);
    expect(allow.allowsAddress('::ffff:127.0.0.1')).toBe(true);
    expect(allow.allowsAddress('127.0.0.2')).toBe(false);
    expect(allow.allowsAddress('10.200.3.4')).toBe(true);
    expect(allow.allowsAddress('::1')).toBe(true);
    expect(allow.allowsAddress('fd00::5')).toBe(true);
    expect(allow.allowsAddress('fe80::1')).toBe(false);
  });

  it('allows nothing when unset', () => {
    const allow = parseAllowedHostsEnv(undefined);
    expect(allow.allowsAddress('127.0.0.1')).toBe(false);
    expect(allow.allowsHost('localhost')).toBe(false);
  });

  it.each([
    ['*.example.com', 'wildcard'],
    ['127.1', 'dotted-quad'],
    ['10.0.0.0/40', 'prefix length'],
    ['http://example.com', 'is a URL'],
    ['bad_host!', 'not a host name'],
  ])('refuses the entry %s and says why', (entry, why) => {
    let caught: unknown;
    try {
      compileAllowList([entry]);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(SsrfError);
    expect((caught as SsrfError).code).toBe('INVALID_ALLOW_LIST');
    expect((caught as SsrfError).message).toContain(`"${entry}"`);
    expect((caught as SsrfError).message).toContain(why);
  });
});
