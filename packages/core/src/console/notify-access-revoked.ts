import type { TTx } from '@berth/db';

export type TAccessRevoked = { userId: string; /** Servers whose console the user may still use. */ keep: string[] };

/**
 * Tell every agent, through Postgres NOTIFY (sent at commit, relayed to Redis by the worker), that a
 * user's access changed: the user's open consoles close at once, except on the servers in `keep`.
 */
export const notifyAccessRevoked = async (tx: TTx, revoked: TAccessRevoked): Promise<void> => {
  await tx.$executeRaw`SELECT pg_notify('berth_access_revoked', ${JSON.stringify(revoked)})`;
};
