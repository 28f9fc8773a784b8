import type { TTx } from '@berth/db';
import { AppError } from '../errors/app-error.ts';

/**
 * `hostId`: an admin's pin; only that host is tried. `keepPoolId`: a migration's, the server keeps its
 * address, so only hosts on that pool's L2 qualify (and they need no free address); `notHostId`: its source.
 */
// `backupTargetId`: a server restored from a backup, only on hosts that reach the backup's target.
type TOptions = { tx: TTx; cpuCores: number; memoryMb: number; diskGb: number; hostId?: string; keepPoolId?: string; notHostId?: string; backupTargetId?: string };

const CANDIDATES = 8;

/**
 * Pick an online host that fits the plan and still has a free IPv4, preferring the most free memory, and
 * reserve the plan's resources on it. Candidates are read without locks, then reserved one at a time with a
 * single-row conditional UPDATE: a transaction holds at most one host lock, so concurrent creates can never
 * deadlock on hosts, and the re-checked WHERE means capacity is never oversold.
 */
export const reserveHost = async ({ tx, cpuCores, memoryMb, diskGb, hostId, keepPoolId, notHostId, backupTargetId }: TOptions): Promise<string> => {
  const keep = keepPoolId ?? null;
  const candidates = await tx.$queryRaw<{ id: string; has_ip: boolean }[]>`
    SELECT h.id, ${keep}::text IS NOT NULL OR EXISTS (
      SELECT 1 FROM ip_addresses a JOIN ip_pool_hosts ph ON ph.pool_id = a.pool_id WHERE ph.host_id = h.id AND a.server_id IS NULL
    ) AS has_ip
    FROM hosts h
    WHERE h.status = 'online' AND (${hostId ?? null}::text IS NULL OR h.id = ${hostId ?? null})
      AND (${notHostId ?? null}::text IS NULL OR h.id <> ${notHostId ?? null})
      AND (${backupTargetId ?? null}::text IS NULL OR h.backup_target_id = ${backupTargetId ?? null})
      AND (${keep}::text IS NULL OR EXISTS (SELECT 1 FROM ip_pool_hosts ph WHERE ph.pool_id = ${keep} AND ph.host_id = h.id))
      AND h.alloc_cpu_cores + ${cpuCores} <= h.cpu_cores * h.cpu_overcommit
      AND h.alloc_memory_mb + ${memoryMb} <= h.memory_mb * h.memory_overcommit AND h.alloc_disk_gb + ${diskGb} <= h.disk_gb * h.disk_overcommit
    ORDER BY (h.memory_mb * h.memory_overcommit - h.alloc_memory_mb) DESC, h.id
    LIMIT ${CANDIDATES}`;
  for (const { id } of candidates.filter((c) => c.has_ip)) {
    const rows = await tx.$queryRaw<{ id: string }[]>`
      UPDATE hosts SET alloc_cpu_cores = alloc_cpu_cores + ${cpuCores},
                       alloc_memory_mb = alloc_memory_mb + ${memoryMb},
                       alloc_disk_gb = alloc_disk_gb + ${diskGb}
      WHERE id = ${id} AND status = 'online' AND alloc_cpu_cores + ${cpuCores} <= cpu_cores * cpu_overcommit
      AND alloc_memory_mb + ${memoryMb} <= memory_mb * memory_overcommit AND alloc_disk_gb + ${diskGb} <= disk_gb * disk_overcommit
      RETURNING id`;
    if (rows[0]) return rows[0].id;
  }
  if (candidates.length > 0 && !candidates.some((c) => c.has_ip)) {
    throw new AppError('no_ip_available', 'No host with room for this plan has a free IPv4 address; an admin must add addresses.');
  }
  if (hostId && keepPoolId) throw new AppError('no_capacity', `Host ${hostId} is not online, has no room for this plan, or is not on the server's IPv4 pool (it would lose its address).`);
  if (hostId && backupTargetId) throw new AppError('no_capacity', `Host ${hostId} is not online, has no room for this plan, or does not reach the backup's target.`);
  if (hostId) throw new AppError('no_capacity', `Host ${hostId} is not online or has no room for this plan.`);
  if (backupTargetId) throw new AppError('no_capacity', 'No online host that reaches this backup\'s target has room for this plan right now.');
  if (keepPoolId) throw new AppError('no_capacity', 'No other online host on the server\'s IPv4 pool has room for its plan right now.');
  throw new AppError('no_capacity', 'No host has room for this plan right now; try again later or pick a smaller plan.');
};
