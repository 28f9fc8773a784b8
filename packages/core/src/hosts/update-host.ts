import type { TUpdateHostRequest } from '@berth/contracts';
import type { TDb } from '@berth/db';
import { requireScope, type TPrincipal } from '../auth/principal.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { notFound } from '../errors/not-found.ts';
import { TX_OPTIONS } from '../tx-options.ts';
import { toHostDto } from './to-host-dto.ts';

type TOptions = { db: TDb; principal: TPrincipal; hostId: string; input: TUpdateHostRequest };

/**
 * Drain a host (maintenance: placement skips it, its servers keep running) or change its overcommit
 * ratios. Lowering a ratio below what is allocated oversells nothing new; it only stops new placements.
 */
export const updateHost = async ({ db, principal, hostId, input }: TOptions) => {
  requireScope(principal, 'admin:*');
  return db.$transaction(async (tx) => {
    if (!(await tx.host.findUnique({ where: { id: hostId } }))) throw notFound('host', hostId);
    const row = await tx.host.update({ where: { id: hostId }, data: input });
    await recordAudit({ tx, principal, action: 'host.update', targetType: 'host', targetId: hostId, data: input as Record<string, unknown> });
    return toHostDto(row);
  }, TX_OPTIONS);
};
