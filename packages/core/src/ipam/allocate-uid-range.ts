import type { TTx } from '@berth/db';
import { AppError } from '../errors/app-error.ts';

type TOptions = { tx: TTx; hostId: string; serverId: string };

export const UID_RANGE_SIZE = 65536;

/**
 * Give the server its own host uid/gid range (a slot of 65536 ids) so no two VPSes share host ids.
 * The (host, slot) primary key makes a double hand-out impossible; the host row lock taken by
 * placement already serializes allocations on one host.
 */
export const allocateUidRange = async ({ tx, hostId, serverId }: TOptions): Promise<{ slot: number; uidBase: number }> => {
  const rows = await tx.$queryRaw<{ slot: number; uid_base: number }[]>`
    INSERT INTO uid_ranges (host_id, slot, server_id)
    SELECT ${hostId}, s, ${serverId}
    FROM hosts h, generate_series(0, h.uid_slots - 1) s
    WHERE h.id = ${hostId} AND NOT EXISTS (SELECT 1 FROM uid_ranges u WHERE u.host_id = ${hostId} AND u.slot = s)
    ORDER BY s LIMIT 1
    RETURNING slot, (SELECT uid_base FROM hosts WHERE id = ${hostId}) + slot * ${UID_RANGE_SIZE} AS uid_base`;
  if (!rows[0]) throw new AppError('no_capacity', 'The host has no free uid range left.');
  return { slot: rows[0].slot, uidBase: Number(rows[0].uid_base) };
};
