import { createPrivateKey, randomBytes, sign } from 'node:crypto';
import type { TConsoleClaims } from '@berth/contracts';

/** `<base64url JSON claims>.<base64url Ed25519 signature of the first part>` */
export const signConsoleToken = (signingKeyB64: string, claims: Omit<TConsoleClaims, 'v' | 'jti'>): string => {
  const key = createPrivateKey({ key: Buffer.from(signingKeyB64, 'base64'), format: 'der', type: 'pkcs8' });
  const body = Buffer.from(JSON.stringify({ v: 1, ...claims, jti: randomBytes(12).toString('base64url') })).toString('base64url');
  return `${body}.${sign(null, Buffer.from(body), key).toString('base64url')}`;
};
