import { describe, expect, it } from 'vitest';
import { clientIp } from './client-ip.ts';

describe('clientIp', () => {
  it('is the socket peer when no proxy is trusted, whatever X-Forwarded-For claims', () => {
    expect(clientIp('203.0.113.5', '1.2.3.4', [])).toBe('203.0.113.5');
    expect(clientIp('::ffff:203.0.113.5', undefined, [])).toBe('203.0.113.5');
    expect(clientIp(null, '1.2.3.4', [])).toBeNull();
  });

  it('walks X-Forwarded-For from the right past trusted proxies only', () => {
    const trusted = ['10.0.0.0/8'];
    expect(clientIp('10.0.0.2', '198.51.100.9', trusted)).toBe('198.51.100.9');
    // A client that forges the header only adds entries to the left of the real one.
    expect(clientIp('10.0.0.2', '1.2.3.4, 198.51.100.9', trusted)).toBe('198.51.100.9');
    expect(clientIp('10.0.0.2', ['1.2.3.4', '198.51.100.9, 10.0.0.7'], trusted)).toBe('198.51.100.9');
    expect(clientIp('203.0.113.5', '1.2.3.4', trusted)).toBe('203.0.113.5'); // not from a proxy: header ignored
    expect(clientIp('10.0.0.2', undefined, trusted)).toBe('10.0.0.2');
  });
});
