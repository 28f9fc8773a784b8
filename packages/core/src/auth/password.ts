import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { hash, verify } from '@node-rs/argon2';

const scryptAsync = promisify(scrypt) as (pw: string, salt: Buffer, len: number, opts: object) => Promise<Buffer>;

// argon2id at OWASP's recommended floor (19 MiB, 2 passes, 1 lane): ~25 ms on this host's cores.
const ARGON2 = { algorithm: 2 /* Argon2id */, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

/** An argon2id PHC string ($argon2id$v=19$m=...). */
export const hashPassword = (password: string): Promise<string> => hash(password, ARGON2);

/** Checks argon2id hashes, and the scrypt hashes of earlier versions (rehashed at the next sign-in). */
export const verifyPassword = async (password: string, stored: string): Promise<boolean> => {
  if (stored.startsWith('$argon2')) return verify(stored, password).catch(() => false);
  const [kind, N, r, p, salt, digest] = stored.split('$');
  if (kind !== 'scrypt' || !salt || !digest) return false;
  const expected = Buffer.from(digest, 'base64url');
  const got = await scryptAsync(password, Buffer.from(salt, 'base64url'), expected.length, { N: Number(N), r: Number(r), p: Number(p) });
  return timingSafeEqual(got, expected);
};

/** True when a stored hash is not argon2id with the current parameters. */
export const needsRehash = (stored: string): boolean =>
  !stored.startsWith(`$argon2id$v=19$m=${ARGON2.memoryCost},t=${ARGON2.timeCost},p=${ARGON2.parallelism}$`);

/** For tests of the upgrade path only: a hash as earlier versions stored it. */
export const legacyScryptHash = async (password: string): Promise<string> => {
  const salt = randomBytes(16);
  const h = await scryptAsync(password, salt, 32, { N: 16384, r: 8, p: 1 });
  return ['scrypt', 16384, 8, 1, salt.toString('base64url'), h.toString('base64url')].join('$');
};
