import type { TIpPool } from '@berth/contracts';
import type { TDb } from '@berth/db';

type TPoolRow = { id: string; hostId: string; cidr: string; gateway: string | null; createdAt: Date; hosts: { hostId: string }[] };

/** Include for pool rows read for the API: the hosts on its L2 segment. */
export const IP_POOL_INCLUDE = { hosts: { select: { hostId: true }, orderBy: { hostId: 'asc' as const } } };

/** Pools as the API shows them, with their size and use counted for these pools only. */
export const toIpPoolDtos = async (db: TDb, rows: TPoolRow[]): Promise<Map<string, TIpPool>> => {
  const counts = await db.$queryRaw<{ pool_id: string; total: number; allocated: number }[]>`
    SELECT pool_id, count(*)::int AS total, count(server_id)::int AS allocated FROM ip_addresses WHERE pool_id = ANY(${rows.map((r) => r.id)}) GROUP BY pool_id`;
  const by = new Map(counts.map((c) => [c.pool_id, c]));
  return new Map(rows.map((p) => [p.id, {
    id: p.id, hostId: p.hostId, hostIds: p.hosts.map((h) => h.hostId), cidr: p.cidr, gateway: p.gateway,
    total: by.get(p.id)?.total ?? 0, allocated: by.get(p.id)?.allocated ?? 0, createdAt: p.createdAt.toISOString(),
  }]));
};
