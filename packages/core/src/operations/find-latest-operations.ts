import type { TOperation } from '@berth/contracts';
import type { TDb } from '@berth/db';
import { requireScope, tenantScope, type TPrincipal } from '../auth/principal.ts';
import { toOperationDto } from '../servers/to-dto.ts';

type TOptions = { db: TDb; principal: TPrincipal; serverIds: string[] };

/** The newest operation of each given server the caller can see (servers without one are absent). */
export const findLatestOperations = async ({ db, principal, serverIds }: TOptions): Promise<Map<string, TOperation>> => {
  requireScope(principal, 'servers:read');
  if (serverIds.length === 0) return new Map();
  const rows = await db.operation.findMany({
    where: { serverId: { in: serverIds }, server: tenantScope(principal) },
    orderBy: [{ serverId: 'asc' }, { createdAt: 'desc' }, { id: 'desc' }],
    distinct: ['serverId'],
  });
  return new Map(rows.map((o) => [o.serverId!, toOperationDto(o)]));
};

export const isOperationActive = (op: TOperation | undefined): boolean => op?.status === 'queued' || op?.status === 'running';
