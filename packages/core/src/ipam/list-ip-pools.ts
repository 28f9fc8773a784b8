import type { TListIpPoolsQuery } from '@berth/contracts';
import type { TDb } from '@berth/db';
import { requireScope, type TPrincipal } from '../auth/principal.ts';
import { keyset } from '../pagination/keyset.ts';
import { IP_POOL_INCLUDE, toIpPoolDtos } from './to-ip-pool-dtos.ts';

type TOptions = { db: TDb; principal: TPrincipal; query: TListIpPoolsQuery };

/** IPv4 pools with their size, how many addresses are in use and the hosts on their L2 segment. */
export const listIpPools = async ({ db, principal, query }: TOptions) => {
  requireScope(principal, 'admin:*');
  const k = keyset(query.cursor, query.limit);
  const rows = await db.ipPool.findMany({
    where: { AND: [k.where, query.hostId ? { hosts: { some: { hostId: query.hostId } } } : {}] },
    orderBy: k.orderBy, take: k.take, include: IP_POOL_INCLUDE,
  });
  const dtos = await toIpPoolDtos(db, rows);
  return k.page(rows, (p) => dtos.get(p.id)!);
};
