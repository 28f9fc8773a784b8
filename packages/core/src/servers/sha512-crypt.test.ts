import { execFileSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { describe, it, expect } from 'vitest';
import { sha512Crypt } from './sha512-crypt.ts';

const ALPHABET = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const randomString = (chars: string, len: number) =>
  Array.from({ length: len }, () => chars[randomInt(chars.length)]).join('');

// openssl reads one password per stdin line, so passwords must not contain newlines.
const openssl = (password: string, salt: string) =>
  execFileSync('openssl', ['passwd', '-6', '-salt', salt, '-stdin'], { input: `${password}\n` })
    .toString()
    .trim();

describe('sha512Crypt', () => {
  // Test vectors from Drepper's "Unix crypt using SHA-256 and SHA-512".
  const vectors: [string, string, number, string][] = [
    ['saltstring', 'Hello world!', 5000,
      '$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1'],
    ['saltstringsaltstring', 'Hello world!', 10000,
      '$6$rounds=10000$saltstringsaltst$OW1/O6BYHV6BcXZu8QVeXbDWra3Oeqh0sbHbbMCVNSnCM/UrjmM0Dp8vOuZeHBy/YTBmSK6H9qs/y3RnOaw5v.'],
    // The spec's output carries "rounds=5000$" only because its salt spelled it out; ours omits the default.
    ['toolongsaltstring', 'This is just a test', 5000,
      '$6$toolongsaltstrin$lQ8jolhgVRVhY4b5pZKaysCLi0QBxGoNeKQzQ3glMhwllF7oGDZxUhx1yxdYcz/e1JSbq3y6JMxxl8audkUEm0'],
    ['anotherlongsaltstring', 'a very much longer text to encrypt.  This one even stretches over morethan one line.', 1400,
      '$6$rounds=1400$anotherlongsalts$POfYwTEok97VWcjxIiSOjiykti.o/pQs.wPvMxQ6Fm7I6IoYN3CmLs66x9t0oSwbtEW7o7UmJEiDwGqd8p4ur1'],
    ['short', 'we have a short salt string but not a short password', 77777,
      '$6$rounds=77777$short$WuQyW2YR.hBNpjjRhpYD/ifIw05xdfeEyQoMxIXbkvr0gge1a1x3yRULJ5CCaUeOxFmtlcGZelFl5CxtgfiAc0'],
    ['asaltof16chars..', 'a short string', 123456,
      '$6$rounds=123456$asaltof16chars..$BtCwjqMJGx5hrJhZywWvt0RLE8uZ4oPwcelCjmw2kSYu.Ec6ycULevoBK25fs2xXgMNrCzIMVcgEJAstJeonj1'],
    ['roundstoolow', 'the minimum number is still observed', 10,
      '$6$rounds=1000$roundstoolow$kUMsbe306n21p9R.FRkW3IGn.S9NPN0x50YhH1xhLsPuWGsUSklZt58jaTfF4ZEQpyUNGc0dqbpBYYBaHHrsX.'],
  ];

  it.each(vectors)('matches spec vector (salt %s)', (salt, password, rounds, expected) => {
    expect(sha512Crypt(password, salt, rounds)).toBe(expected);
  });

  it('matches openssl passwd -6 for random passwords and salts', () => {
    const printable = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join('') + 'éü€日本';
    for (let n = 0; n < 25; n++) {
      // Lengths straddle the 64- and 128-byte block boundaries; salts over 16 chars exercise truncation.
      const password = randomString(printable, randomInt(1, 150));
      const salt = randomString(ALPHABET, randomInt(1, 21));
      expect(sha512Crypt(password, salt), JSON.stringify({ password, salt })).toBe(openssl(password, salt));
    }
  });

  it('matches openssl passwd -6 with custom rounds', () => {
    for (const rounds of [1000, 1234, randomInt(1001, 4000), 5001]) {
      const password = randomString(ALPHABET, randomInt(1, 40));
      const salt = randomString(ALPHABET, 16);
      expect(sha512Crypt(password, salt, rounds)).toBe(openssl(password, `rounds=${rounds}$${salt}`));
    }
  });

  it('generates a 16-char crypt-alphabet salt by default that openssl agrees with', () => {
    const hash = sha512Crypt('correct horse battery staple');
    const m = /^\$6\$([./0-9A-Za-z]{16})\$([./0-9A-Za-z]{86})$/.exec(hash);
    expect(m).not.toBeNull();
    expect(openssl('correct horse battery staple', m![1]!)).toBe(hash);
    expect(sha512Crypt('x')).not.toBe(sha512Crypt('x'));
  });
});
