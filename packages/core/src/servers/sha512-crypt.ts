import { createHash, randomBytes } from 'node:crypto';

// glibc SHA-512 crypt ($6$), per Ulrich Drepper's "Unix crypt using SHA-256 and SHA-512".

type Bytes = Buffer;

const ALPHABET = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const DEFAULT_ROUNDS = 5000;
const MIN_ROUNDS = 1000;
const MAX_ROUNDS = 999_999_999;
const SALT_MAX = 16;

const sha512 = (...parts: Bytes[]): Bytes => {
  const h = createHash('sha512');
  for (const p of parts) h.update(p);
  return h.digest();
};

// Repeat `src` cyclically until `len` bytes (used for the P and S sequences).
const stretch = (src: Bytes, len: number): Bytes => {
  const out = Buffer.alloc(len);
  for (let i = 0; i < len; i += src.length) src.copy(out, i, 0, Math.min(src.length, len - i));
  return out;
};

const randomSalt = (): string => {
  // 256 is a multiple of 64, so `byte & 63` is unbiased.
  return Array.from(randomBytes(SALT_MAX), (b) => ALPHABET[b & 63]).join('');
};

// The spec's byte permutation: groups (i, i+21, i+42) rotated left by i % 3, then byte 63 alone.
const encode = (d: Bytes): string => {
  let out = '';
  const emit = (b2: number, b1: number, b0: number, n: number) => {
    let w = (b2 << 16) | (b1 << 8) | b0;
    for (let k = 0; k < n; k++, w >>= 6) out += ALPHABET[w & 63];
  };
  for (let i = 0; i < 21; i++) {
    const g = [i, i + 21, i + 42];
    const [a, b, c] = [...g.slice(i % 3), ...g.slice(0, i % 3)] as [number, number, number];
    emit(d[a]!, d[b]!, d[c]!, 4);
  }
  emit(0, 0, d[63]!, 2);
  return out;
};

export function sha512Crypt(password: string, salt?: string, rounds = DEFAULT_ROUNDS): string {
  // Like glibc, the salt stops at the first '$' and is capped at 16 chars; rounds are clamped.
  const saltStr = (salt ?? randomSalt()).split('$')[0]!.slice(0, SALT_MAX);
  const r = Math.min(MAX_ROUNDS, Math.max(MIN_ROUNDS, Math.floor(rounds)));
  const pw = Buffer.from(password, 'utf8');
  const s = Buffer.from(saltStr, 'utf8');

  const b = sha512(pw, s, pw);
  const aParts: Bytes[] = [pw, s, stretch(b, pw.length)];
  for (let n = pw.length; n > 0; n >>= 1) aParts.push(n & 1 ? b : pw);
  let a = sha512(...aParts);

  const p = stretch(sha512(...Array<Bytes>(pw.length).fill(pw)), pw.length);
  const sSeq = stretch(sha512(...Array<Bytes>(16 + a[0]!).fill(s)), s.length);

  for (let i = 0; i < r; i++) {
    const parts: Bytes[] = [i & 1 ? p : a];
    if (i % 3) parts.push(sSeq);
    if (i % 7) parts.push(p);
    parts.push(i & 1 ? a : p);
    a = sha512(...parts);
  }

  const prefix = r === DEFAULT_ROUNDS ? '$6$' : `$6$rounds=${r}$`;
  return `${prefix}${saltStr}$${encode(a)}`;
}
