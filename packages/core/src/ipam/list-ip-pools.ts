import type { TIpPool, TListIpPoolsQuery } from '@berth/contracts';
import type { TDb } from '@berth/db';
import { requireScope, type TPrincipal } from '../auth/principal.ts';
import { keyset } from '../pagination/keyset.ts';

type TOptions = { db: TDb; principal: TPrincipal; query: TListIpPoolsQuery };

/** IPv4 pools with their size and how many addresses are in use (counted for this page's pools only). */
export const listIpPools = async ({ db, principal, query }: TOptions) => {
  requireScope(principal, 'admin:*');
  const k = keyset(query.cursor, query.limit);
  const rows = await db.ipPool.findMany({ where: { AND: [k.where, query.hostId ? { hostId: query.hostId } : {}] }, orderBy: k.orderBy, take: k.take });
  const ids = rows.map((r) => r.id);
  const counts = await db.$queryRaw<{ pool_id: string; total: number; allocated: number }[]>`
    SELECT pool_id, count(*)::int AS total, count(server_id)::int AS allocated FROM ip_addresses WHERE pool_id = ANY(${ids}) GROUP BY pool_id`;
  const by = new Map(counts.map((c) => [c.pool_id, c]));
  return k.page(rows, (p): TIpPool => ({
    id: p.id, hostId: p.hostId, cidr: p.cidr, gateway: p.gateway, total: by.get(p.id)?.total ?? 0, allocated: by.get(p.id)?.allocated ?? 0,
    createdAt: p.createdAt.toISOString(),
  }));
};
