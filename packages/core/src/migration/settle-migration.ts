import type { Plan, Server, TTx } from '@berth/db';
import { releaseHost } from '../placement/release-host.ts';

type TOptions = { tx: TTx; server: Server & { plan: Plan }; targetHostId: string; moved: boolean };

/**
 * The end of a migration, in the transaction that finishes its operation: a moved server now lives on the
 * target and the source's capacity and id range are free; otherwise what was reserved on the target is.
 * The IPv4 address stays the server's either way.
 */
export const settleMigration = async ({ tx, server, targetHostId, moved }: TOptions): Promise<void> => {
  const freed = moved ? server.hostId : targetHostId;
  if (moved) await tx.server.update({ where: { id: server.id }, data: { hostId: targetHostId } });
  await tx.uidRange.deleteMany({ where: { serverId: server.id, hostId: freed } });
  const { cpuCores, memoryMb, diskGb } = server.plan;
  await releaseHost({ tx, hostId: freed, cpuCores, memoryMb, diskGb });
};
