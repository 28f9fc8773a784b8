import type { TTx } from '@berth/db';
import { AppError } from '../errors/app-error.ts';

type TOptions = { tx: TTx; cpuCores: number; memoryMb: number; diskGb: number };

/**
 * Pick the online host with the most free memory that fits the plan and reserve the plan's resources on it,
 * in one statement. The row lock serializes concurrent creates on a host, so capacity is never oversold.
 */
export const reserveHost = async ({ tx, cpuCores, memoryMb, diskGb }: TOptions): Promise<string> => {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    UPDATE hosts SET alloc_cpu_cores = alloc_cpu_cores + ${cpuCores},
                     alloc_memory_mb = alloc_memory_mb + ${memoryMb},
                     alloc_disk_gb = alloc_disk_gb + ${diskGb}
    WHERE id = (
      SELECT id FROM hosts
      WHERE status = 'online' AND alloc_memory_mb + ${memoryMb} <= memory_mb AND alloc_disk_gb + ${diskGb} <= disk_gb
      ORDER BY (memory_mb - alloc_memory_mb) DESC, id
      LIMIT 1 FOR UPDATE)
    AND alloc_memory_mb + ${memoryMb} <= memory_mb AND alloc_disk_gb + ${diskGb} <= disk_gb
    RETURNING id`;
  if (!rows[0]) throw new AppError('no_capacity', 'No host has room for this plan right now; try again later or pick a smaller plan.');
  return rows[0].id;
};
