import { describe, expect, it } from 'vitest';
import { cidrWithin, ipAllowed, parseCidr } from './ip-allowlist.ts';

describe('API key IP allowlists', () => {
  it('matches IPv4 and IPv6 CIDRs and single addresses', () => {
    const list = ['203.0.113.0/24', '198.51.100.7', '2001:db8::/32'];
    expect(ipAllowed('203.0.113.200', list)).toBe(true);
    expect(ipAllowed('203.0.114.1', list)).toBe(false);
    expect(ipAllowed('198.51.100.7', list)).toBe(true);
    expect(ipAllowed('198.51.100.8', list)).toBe(false);
    expect(ipAllowed('2001:db8:1::5', list)).toBe(true);
    expect(ipAllowed('2001:db9::1', list)).toBe(false);
    expect(ipAllowed('::ffff:203.0.113.9', list)).toBe(true); // how a dual-stack socket reports IPv4
  });

  it('refuses an unknown or garbage caller address', () => {
    expect(ipAllowed(null, ['0.0.0.0/0'])).toBe(false);
    expect(ipAllowed('not-an-ip', ['0.0.0.0/0'])).toBe(false);
  });

  it('parses only well-formed entries', () => {
    expect(parseCidr('10.0.0.0/8')).toEqual({ address: '10.0.0.0', prefix: 8, family: 'ipv4' });
    expect(parseCidr('::1')).toEqual({ address: '::1', prefix: 128, family: 'ipv6' });
    for (const bad of ['10.0.0.0/33', '10.0.0.0/', '10.0.0/8', '10.0.0.0/8/1', 'host.example', '10.0.0.0/-1', '']) {
      expect(parseCidr(bad), bad).toBeNull();
    }
  });
});

describe('cidrWithin', () => {
  it('is true only for a range wholly inside one of the outer ones', () => {
    expect(cidrWithin('203.0.113.128/25', ['203.0.113.0/24'])).toBe(true);
    expect(cidrWithin('203.0.113.7', ['203.0.113.0/24'])).toBe(true);
    expect(cidrWithin('203.0.112.0/23', ['203.0.113.0/24'])).toBe(false); // wider
    expect(cidrWithin('198.51.100.0/24', ['203.0.113.0/24'])).toBe(false);
    expect(cidrWithin('2001:db8:1::/48', ['2001:db8::/32'])).toBe(true);
    expect(cidrWithin('2001:db8::/32', ['203.0.113.0/24'])).toBe(false);
  });
});
