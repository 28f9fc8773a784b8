import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const key = (secret: string, purpose: string) => Buffer.from(hkdfSync('sha256', secret, 'berth', purpose, 32));

/** Seal a small secret (a TOTP seed, a webhook signing key) with AES-256-GCM under a key derived from `secret`. */
export const seal = (secret: string, purpose: string, plain: string): string => {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', key(secret, purpose), iv);
  const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
  return ['v1', iv.toString('base64url'), body.toString('base64url'), c.getAuthTag().toString('base64url')].join('.');
};

export const unseal = (secret: string, purpose: string, sealed: string): string => {
  const [v, iv, body, tag] = sealed.split('.');
  if (v !== 'v1' || !iv || !body || !tag) throw new Error('not a sealed value');
  const d = createDecipheriv('aes-256-gcm', key(secret, purpose), Buffer.from(iv, 'base64url'));
  d.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([d.update(Buffer.from(body, 'base64url')), d.final()]).toString('utf8');
};
