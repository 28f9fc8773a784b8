import type { THostHeartbeatEvent } from '@berth/contracts';
import type { TDb } from '@berth/db';

type TOptions = { db: TDb; event: THostHeartbeatEvent };

/**
 * Note that a host's agent is alive (an offline host comes back online; maintenance stays maintenance); an
 * unknown host id is ignored (a stale agent of a removed host).
 */
export const recordHeartbeat = async ({ db, event }: TOptions): Promise<void> => {
  await db.host.updateMany({
    where: { id: event.hostId },
    data: { lastHeartbeatAt: new Date(event.at), agentVersion: event.agentVersion, ...(event.consoleUrl ? { consoleUrl: event.consoleUrl } : {}) },
  });
  await db.host.updateMany({ where: { id: event.hostId, status: 'offline' }, data: { status: 'online' } });
};
