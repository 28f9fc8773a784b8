import { ZHostUsage, type THost } from '@berth/contracts';
import type { Host, HostInstall } from '@berth/db';

type TInstallRow = Pick<HostInstall, 'id' | 'status' | 'step' | 'error' | 'finishedAt'>;

/** Include for a host row read for the API: its latest agent install. */
export const HOST_INCLUDE = { installs: { orderBy: { createdAt: 'desc' as const }, take: 1, select: { id: true, status: true, step: true, error: true, finishedAt: true } } };

export const toHostDto = (h: Host & { installs?: TInstallRow[] }): THost => ({
  id: h.id, name: h.name, address: h.address, status: h.status, cpuCores: h.cpuCores, memoryMb: h.memoryMb, diskGb: h.diskGb,
  lastHeartbeatAt: h.lastHeartbeatAt?.toISOString() ?? null,
  cpuOvercommit: h.cpuOvercommit, memoryOvercommit: h.memoryOvercommit, diskOvercommit: h.diskOvercommit,
  allocated: { cpuCores: h.allocCpuCores, memoryMb: h.allocMemoryMb, diskGb: h.allocDiskGb },
  usage: ZHostUsage.safeParse(h.usage).data ?? null,
  backupTargetId: h.backupTargetId,
  lastInstall: h.installs?.[0] ? { ...h.installs[0], finishedAt: h.installs[0].finishedAt?.toISOString() ?? null } : null,
  createdAt: h.createdAt.toISOString(),
});
