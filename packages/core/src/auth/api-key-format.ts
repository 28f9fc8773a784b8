import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

// berth_<12-char public prefix>_<43-char secret>; the prefix finds the row, the secret is only hashed.
const KEY_RE = /^berth_([0-9a-z]{12})_([A-Za-z0-9_-]{43})$/;

export const hashSecret = (secret: string): string => createHash('sha256').update(secret).digest('hex');

export const generateApiKey = (): { key: string; prefix: string; secretHash: string } => {
  const prefix = randomBytes(12).toString('base64url').toLowerCase().replace(/[^0-9a-z]/g, '0').slice(0, 12);
  const secret = randomBytes(32).toString('base64url');
  return { key: `berth_${prefix}_${secret}`, prefix, secretHash: hashSecret(secret) };
};

export const parseApiKey = (key: string): { prefix: string; secret: string } | null => {
  const m = KEY_RE.exec(key);
  return m ? { prefix: m[1]!, secret: m[2]! } : null;
};

export const secretMatches = (secret: string, storedHash: string): boolean => {
  const a = Buffer.from(hashSecret(secret), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
};
