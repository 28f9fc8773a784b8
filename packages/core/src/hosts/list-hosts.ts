import type { THost } from '@berth/contracts';
import type { TDb } from '@berth/db';
import { requireScope, type TPrincipal } from '../auth/principal.ts';

type TOptions = { db: TDb; principal: TPrincipal };

export const listHosts = async ({ db, principal }: TOptions): Promise<{ data: THost[] }> => {
  requireScope(principal, 'admin:*');
  const rows = await db.host.findMany({ orderBy: { name: 'asc' } });
  return {
    data: rows.map((h) => ({
      id: h.id, name: h.name, address: h.address, status: h.status, cpuCores: h.cpuCores, memoryMb: h.memoryMb,
      diskGb: h.diskGb, lastHeartbeatAt: h.lastHeartbeatAt?.toISOString() ?? null, createdAt: h.createdAt.toISOString(),
    })),
  };
};
