import type { TDb } from '@berth/db';
import type { TPrincipal } from '../auth/principal.ts';
import { getServer } from '../servers/get-server.ts';
import { monthStart } from './clock.ts';

type TOptions = { db: TDb; principal: TPrincipal; serverId: string; now?: Date };

/** This month's transfer of a server (complete hours, from the metric rollup) against its plan's allowance. */
export const getServerTransfer = async ({ db, principal, serverId, now = new Date() }: TOptions) => {
  const server = await getServer({ db, principal, serverId });
  const [usage, plan] = await Promise.all([
    db.transferUsage.findUnique({ where: { serverId_month: { serverId, month: monthStart(now) } } }),
    db.plan.findUniqueOrThrow({ where: { id: server.planId }, select: { transferGb: true, overageCentsPerGb: true } }),
  ]);
  return { month: monthStart(now).toISOString(), bytes: Number(usage?.bytes ?? 0n), includedGb: plan.transferGb, overageCentsPerGb: plan.overageCentsPerGb };
};
