import type { TListServersQuery } from '@berth/contracts';
import type { TDb } from '@berth/db';
import { requireScope, tenantScope, type TPrincipal } from '../auth/principal.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { SERVER_INCLUDE, toServerDto } from './to-dto.ts';

type TOptions = { db: TDb; principal: TPrincipal; query: TListServersQuery };

/** Newest first; deleted servers only when asked for by status; filters narrow, never widen, what the caller sees. */
export const listServers = async ({ db, principal, query }: TOptions) => {
  requireScope(principal, 'servers:read');
  const after = query.cursor ? decodeCursor(query.cursor) : null;
  const rows = await db.server.findMany({
    where: {
      ...tenantScope(principal),
      status: query.status ?? { not: 'deleted' },
      ...(query.hostId ? { hostId: query.hostId } : {}),
      ...(query.tenantId ? { AND: [{ tenantId: query.tenantId }] } : {}),
      ...(after ? { OR: [{ createdAt: { lt: after.createdAt } }, { createdAt: after.createdAt, id: { lt: after.id } }] } : {}),
    },
    include: SERVER_INCLUDE,
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: query.limit + 1,
  });
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    data: page.map(toServerDto),
    nextCursor: rows.length > query.limit && last ? encodeCursor(last.createdAt, last.id) : null,
  };
};
