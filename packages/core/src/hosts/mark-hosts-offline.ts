import type { TDb } from '@berth/db';

type TOptions = { db: TDb; now: Date; offlineAfterMs: number };

/**
 * Hosts whose agent has sent heartbeats but none for `offlineAfterMs` go offline: placement skips them and
 * their servers show their last known status as unknown. Their operations wait in Postgres and in the
 * host's queue, nothing is lost; the next heartbeat brings the host back. A host that never sent one
 * keeps the status it was given (it is still being set up). One indexed UPDATE over hosts.
 */
export const markHostsOffline = async ({ db, now, offlineAfterMs }: TOptions): Promise<string[]> => {
  const rows = await db.$queryRaw<{ id: string }[]>`
    UPDATE hosts SET status = 'offline'
    WHERE status = 'online' AND last_heartbeat_at IS NOT NULL AND last_heartbeat_at < ${new Date(now.getTime() - offlineAfterMs)}
    RETURNING id`;
  return rows.map((r) => r.id);
};
