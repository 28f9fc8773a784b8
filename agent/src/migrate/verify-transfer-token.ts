import { verify, type KeyObject } from 'node:crypto';
import { ZTransferClaims, type TTransferClaims } from '@berth/contracts';

/**
 * The claims of a transfer token the panel signed for pushing `serverId` to this host, not expired; null for
 * anything else (bad signature, another host or server, expired, a console ticket, malformed).
 */
export const verifyTransferToken = (key: KeyObject, token: string, hostId: string, serverId: string, nowS = Date.now() / 1000): TTransferClaims | null => {
  const [body, sig, extra] = token.split('.');
  if (!body || !sig || extra !== undefined) return null;
  try {
    if (!verify(null, Buffer.from(body), key, Buffer.from(sig, 'base64url'))) return null;
    const claims = ZTransferClaims.safeParse(JSON.parse(Buffer.from(body, 'base64url').toString('utf8')));
    if (!claims.success || claims.data.to !== hostId || claims.data.sid !== serverId || claims.data.exp <= nowS) return null;
    return claims.data;
  } catch {
    return null;
  }
};
