import type { TListOperationsQuery } from '@berth/contracts';
import type { TDb } from '@berth/db';
import { requireScope, tenantScope, type TPrincipal } from '../auth/principal.ts';
import { keyset } from '../pagination/keyset.ts';
import { toOperationDto } from '../servers/to-dto.ts';

type TOptions = { db: TDb; principal: TPrincipal; query: TListOperationsQuery };

/** Operations on the servers the caller can see, newest first (filter by status, e.g. failed, or server). */
export const listOperations = async ({ db, principal, query }: TOptions) => {
  requireScope(principal, 'servers:read');
  const k = keyset(query.cursor, query.limit);
  const rows = await db.operation.findMany({
    where: {
      AND: [
        principal.role === 'admin' ? {} : { server: tenantScope(principal) },
        query.status ? { status: query.status } : {},
        query.serverId ? { serverId: query.serverId } : {},
        k.where,
      ],
    },
    orderBy: k.orderBy, take: k.take,
  });
  return k.page(rows, toOperationDto);
};
