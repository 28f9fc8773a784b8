import type { TTx } from '@berth/db';
import { AppError } from '../errors/app-error.ts';
import type { TResources } from './plan-delta.ts';

type TOptions = { tx: TTx; hostId: string } & TResources;

/** Reserve more resources on a given host (a resize), or refuse with no_capacity; one conditional UPDATE. */
export const reserveOnHost = async ({ tx, hostId, cpuCores, memoryMb, diskGb }: TOptions): Promise<void> => {
  const n = await tx.$executeRaw`
    UPDATE hosts SET alloc_cpu_cores = alloc_cpu_cores + ${cpuCores},
                     alloc_memory_mb = alloc_memory_mb + ${memoryMb},
                     alloc_disk_gb = alloc_disk_gb + ${diskGb}
    WHERE id = ${hostId} AND alloc_cpu_cores + ${cpuCores} <= cpu_cores * cpu_overcommit
      AND alloc_memory_mb + ${memoryMb} <= memory_mb * memory_overcommit AND alloc_disk_gb + ${diskGb} <= disk_gb * disk_overcommit`;
  if (n !== 1) throw new AppError('no_capacity', 'The server\'s host has no room for the larger plan.');
};
