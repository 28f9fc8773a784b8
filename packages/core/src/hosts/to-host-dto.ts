import type { THost } from '@berth/contracts';
import type { Host } from '@berth/db';

export const toHostDto = (h: Host): THost => ({
  id: h.id, name: h.name, address: h.address, status: h.status, cpuCores: h.cpuCores, memoryMb: h.memoryMb, diskGb: h.diskGb,
  lastHeartbeatAt: h.lastHeartbeatAt?.toISOString() ?? null,
  cpuOvercommit: h.cpuOvercommit, memoryOvercommit: h.memoryOvercommit, diskOvercommit: h.diskOvercommit,
  allocated: { cpuCores: h.allocCpuCores, memoryMb: h.allocMemoryMb, diskGb: h.allocDiskGb },
  createdAt: h.createdAt.toISOString(),
});
