import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { ZConsoleClaims, type TConsoleClaims } from '@berth/contracts';

export const consoleVerifyKey = (b64: string): KeyObject => createPublicKey({ key: Buffer.from(b64, 'base64'), format: 'der', type: 'spki' });

/**
 * The claims of a console ticket signed by the panel for this host and not expired; null for anything
 * else (bad signature, other host, expired, malformed). Single use is the caller's (it knows the jtis seen).
 */
export const verifyConsoleToken = (key: KeyObject, token: string, hostId: string, nowS = Date.now() / 1000): TConsoleClaims | null => {
  const [body, sig, extra] = token.split('.');
  if (!body || !sig || extra !== undefined) return null;
  try {
    if (!verify(null, Buffer.from(body), key, Buffer.from(sig, 'base64url'))) return null;
    const claims = ZConsoleClaims.safeParse(JSON.parse(Buffer.from(body, 'base64url').toString('utf8')));
    if (!claims.success || claims.data.hid !== hostId || claims.data.exp <= nowS) return null;
    return claims.data;
  } catch {
    return null;
  }
};
