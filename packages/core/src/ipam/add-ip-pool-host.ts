import type { TAddIpPoolHostRequest, TIpPool } from '@berth/contracts';
import type { TDb } from '@berth/db';
import { requireScope, type TPrincipal } from '../auth/principal.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { notFound } from '../errors/not-found.ts';
import { TX_OPTIONS } from '../tx-options.ts';
import { IP_POOL_INCLUDE, toIpPoolDtos } from './to-ip-pool-dtos.ts';

type TOptions = { db: TDb; principal: TPrincipal; poolId: string; input: TAddIpPoolHostRequest };

/**
 * Put another host on a pool's L2 segment (the admin has cabled it so): it may hand out the pool's
 * addresses, and VPSes keep theirs when they migrate between the pool's hosts. Adding it twice is a no-op.
 */
export const addIpPoolHost = async ({ db, principal, poolId, input }: TOptions): Promise<TIpPool> => {
  requireScope(principal, 'admin:*');
  await db.$transaction(async (tx) => {
    if (!(await tx.ipPool.findUnique({ where: { id: poolId } }))) throw notFound('ip_pool', poolId);
    if (!(await tx.host.findUnique({ where: { id: input.hostId } }))) throw notFound('host', input.hostId);
    const added = await tx.ipPoolHost.createMany({ data: [{ poolId, hostId: input.hostId }], skipDuplicates: true });
    if (added.count) await recordAudit({ tx, principal, action: 'ip_pool.add_host', targetType: 'ip_pool', targetId: poolId, data: { hostId: input.hostId } });
  }, TX_OPTIONS);
  const row = await db.ipPool.findUniqueOrThrow({ where: { id: poolId }, include: IP_POOL_INCLUDE });
  return (await toIpPoolDtos(db, [row])).get(poolId)!;
};
