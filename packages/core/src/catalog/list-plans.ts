import type { TPlan } from '@berth/contracts';
import type { TDb } from '@berth/db';
import type { TPrincipal } from '../auth/principal.ts';

type TOptions = { db: TDb; principal: TPrincipal };

/** Active plans, cheapest first (every authenticated caller may see what is on sale). */
export const listPlans = async ({ db }: TOptions): Promise<{ data: TPlan[] }> => {
  const rows = await db.plan.findMany({ where: { active: true }, orderBy: [{ priceCentsMonthly: 'asc' }, { id: 'asc' }] });
  return {
    data: rows.map((p) => ({
      id: p.id, name: p.name, cpuCores: p.cpuCores, cpuWeight: p.cpuWeight, memoryMb: p.memoryMb, swapMb: p.swapMb,
      diskGb: p.diskGb, ioReadBps: Number(p.ioReadBps), ioWriteBps: Number(p.ioWriteBps), ioReadIops: p.ioReadIops,
      ioWriteIops: p.ioWriteIops, pidsMax: p.pidsMax, priceCentsMonthly: p.priceCentsMonthly, nesting: p.nesting, createdAt: p.createdAt.toISOString(),
    })),
  };
};
