import type { TTx } from '@berth/db';
import { AppError } from '../errors/app-error.ts';

type TOptions = { tx: TTx; hostId: string; serverId: string };

/**
 * Take one free address from the pools the host is on for the server. SKIP LOCKED lets concurrent creates take
 * different addresses without waiting; never-used addresses first, then the one released longest ago.
 */
export const allocateIp = async ({ tx, hostId, serverId }: TOptions): Promise<string> => {
  const rows = await tx.$queryRaw<{ address: string }[]>`
    UPDATE ip_addresses SET server_id = ${serverId}, allocated_at = now()
    WHERE id = (
      SELECT a.id FROM ip_addresses a JOIN ip_pool_hosts ph ON ph.pool_id = a.pool_id
      WHERE ph.host_id = ${hostId} AND a.server_id IS NULL
      ORDER BY a.released_at NULLS FIRST, a.address::inet
      LIMIT 1 FOR UPDATE OF a SKIP LOCKED)
    RETURNING address`;
  if (!rows[0]) throw new AppError('no_ip_available', 'The host has no free IPv4 address; an admin must add addresses to its pool.');
  return rows[0].address;
};
