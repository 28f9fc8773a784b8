import type { TTx } from '@berth/db';
import { AppError } from '../errors/app-error.ts';

/** `hostId`: an admin's pin; only that host is tried. */
type TOptions = { tx: TTx; cpuCores: number; memoryMb: number; diskGb: number; hostId?: string };

const CANDIDATES = 8;

/**
 * Pick an online host that fits the plan and still has a free IPv4, preferring the most free memory, and
 * reserve the plan's resources on it. Candidates are read without locks, then reserved one at a time with a
 * single-row conditional UPDATE: a transaction holds at most one host lock, so concurrent creates can never
 * deadlock on hosts, and the re-checked WHERE means capacity is never oversold.
 */
export const reserveHost = async ({ tx, cpuCores, memoryMb, diskGb, hostId }: TOptions): Promise<string> => {
  const candidates = await tx.$queryRaw<{ id: string; has_ip: boolean }[]>`
    SELECT h.id, EXISTS (
      SELECT 1 FROM ip_addresses a JOIN ip_pools p ON p.id = a.pool_id WHERE p.host_id = h.id AND a.server_id IS NULL
    ) AS has_ip
    FROM hosts h
    WHERE h.status = 'online' AND (${hostId ?? null}::text IS NULL OR h.id = ${hostId ?? null}) AND h.alloc_cpu_cores + ${cpuCores} <= h.cpu_cores * h.cpu_overcommit
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
  if (hostId) throw new AppError('no_capacity', `Host ${hostId} is not online or has no room for this plan.`);
  throw new AppError('no_capacity', 'No host has room for this plan right now; try again later or pick a smaller plan.');
};
