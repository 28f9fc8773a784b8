import { describe, expect, it } from 'vitest';
import { usableAddresses } from './usable-addresses.ts';

describe('usableAddresses', () => {
  it('skips network, the bridge (first) address and broadcast', () => {
    const r = usableAddresses('198.18.0.0/24');
    expect(r.bridgeAddress).toBe('198.18.0.1');
    expect(r.addresses[0]).toBe('198.18.0.2');
    expect(r.addresses.at(-1)).toBe('198.18.0.254');
    expect(r.addresses).toHaveLength(253);
  });
  it('narrows to a range of host offsets', () => {
    expect(usableAddresses('198.18.0.0/24', '160-163').addresses).toEqual(['198.18.0.160', '198.18.0.161', '198.18.0.162', '198.18.0.163']);
    expect(usableAddresses('198.18.0.0/24', '0-3').addresses).toEqual(['198.18.0.2', '198.18.0.3']);
  });
  it('handles a /30 and a CIDR given with host bits set', () => {
    expect(usableAddresses('10.0.0.4/30').addresses).toEqual(['10.0.0.6']);
    expect(usableAddresses('198.18.1.77/29').addresses).toEqual(['198.18.1.74', '198.18.1.75', '198.18.1.76', '198.18.1.77', '198.18.1.78']);
  });
});
