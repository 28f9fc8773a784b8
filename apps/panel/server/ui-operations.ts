import type { TOperation } from '@berth/contracts';
import { tenantScope, type TPrincipal } from '@berth/core';
import type { Operation, TDb } from '@berth/db';

// TODO(core): move into packages/core as a verb (e.g. findLatestOperations); core has no "operations of a
// server" query yet and the UI needs one. Scoped exactly like core's getOperation: visible when its server is.

type TOptions = { db: TDb; principal: TPrincipal; serverIds: string[] };

const toDto = (o: Operation): TOperation => ({
  id: o.id, type: o.type, status: o.status, serverId: o.serverId, progress: o.progress, step: o.step, error: o.error,
  attempts: o.attempts, createdAt: o.createdAt.toISOString(), startedAt: o.startedAt?.toISOString() ?? null,
  finishedAt: o.finishedAt?.toISOString() ?? null,
});

/** The newest operation of each given server (servers without one are absent from the map). */
export const findLatestOperations = async ({ db, principal, serverIds }: TOptions): Promise<Map<string, TOperation>> => {
  if (serverIds.length === 0) return new Map();
  const rows = await db.operation.findMany({
    where: { serverId: { in: serverIds }, server: tenantScope(principal) },
    orderBy: [{ serverId: 'asc' }, { createdAt: 'desc' }, { id: 'desc' }],
    distinct: ['serverId'],
  });
  return new Map(rows.map((o) => [o.serverId!, toDto(o)]));
};

export const isOperationActive = (op: TOperation | undefined): boolean => op?.status === 'queued' || op?.status === 'running';
