import type { TTx } from '@berth/db';

type TOptions = { tx: TTx; hostId: string; cpuCores: number; memoryMb: number; diskGb: number };

/** Give a destroyed server's plan resources back to its host. */
export const releaseHost = async ({ tx, hostId, cpuCores, memoryMb, diskGb }: TOptions): Promise<void> => {
  await tx.$executeRaw`
    UPDATE hosts SET alloc_cpu_cores = GREATEST(0, alloc_cpu_cores - ${cpuCores}),
                     alloc_memory_mb = GREATEST(0, alloc_memory_mb - ${memoryMb}),
                     alloc_disk_gb = GREATEST(0, alloc_disk_gb - ${diskGb})
    WHERE id = ${hostId}`;
};
