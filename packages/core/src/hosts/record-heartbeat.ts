import type { THostHeartbeatEvent } from '@berth/contracts';
import type { TDb } from '@berth/db';

type TOptions = { db: TDb; event: THostHeartbeatEvent };

/**
 * Note that a host's agent is alive, as of now by the panel's clock (a host's own clock may be off, and
 * liveness compares with ours): an offline host comes back online, maintenance stays maintenance; an
 * unknown host id is ignored (a stale agent of a removed host).
 */
export const recordHeartbeat = async ({ db, event }: TOptions): Promise<void> => {
  // One write per heartbeat (a thousand hosts send one every few seconds).
  await db.$executeRaw`
    UPDATE hosts SET last_heartbeat_at = now(), agent_version = ${event.agentVersion},
      agent_install_id = coalesce(${event.installId ?? null}, agent_install_id),
      console_url = coalesce(${event.consoleUrl || null}, console_url),
      transfer_url = coalesce(${event.transferUrl || null}, transfer_url),
      transfer_cert_pem = coalesce(${event.transferCertPem || null}, transfer_cert_pem),
      usage = coalesce(${event.usage ? JSON.stringify(event.usage) : null}::jsonb, usage),
      status = CASE WHEN status = 'offline' THEN 'online'::"HostStatus" ELSE status END
    WHERE id = ${event.hostId}`;
};
