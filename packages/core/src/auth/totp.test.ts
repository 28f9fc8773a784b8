import { describe, expect, it } from 'vitest';
import { base32Decode, base32Encode, matchTotp, newTotpSecret, otpauthUri, totpAt } from './totp.ts';

describe('TOTP (RFC 6238)', () => {
  // RFC 6238 appendix B, SHA1 seed "12345678901234567890", 8 digits.
  const seed = Buffer.from('12345678901234567890');
  it.each([[59, '94287082'], [1111111109, '07081804'], [1234567890, '89005924'], [2000000000, '69279037']])('t=%i -> %s', (t, want) => {
    expect(totpAt(seed, Math.floor(t / 30), 8)).toBe(want);
  });

  it('round-trips base32 and accepts one step of drift, not two', () => {
    const secret = newTotpSecret();
    expect(base32Encode(base32Decode(secret))).toBe(secret);
    expect(secret).toHaveLength(32);
    const now = 1_800_000_000_000;
    const step = Math.floor(now / 30_000);
    const code = (s: number) => totpAt(base32Decode(secret), s);
    expect(matchTotp(secret, code(step), now)).toBe(step);
    expect(matchTotp(secret, code(step - 1), now)).toBe(step - 1);
    expect(matchTotp(secret, code(step + 1), now)).toBe(step + 1);
    expect(matchTotp(secret, code(step - 2), now)).toBeNull();
    expect(matchTotp(secret, 'abcdef', now)).toBeNull();
    expect(otpauthUri(secret, 'a@b.c')).toMatch(/^otpauth:\/\/totp\/Berth%3Aa%40b.c\?secret=[A-Z2-7]{32}&issuer=Berth/);
  });
});
