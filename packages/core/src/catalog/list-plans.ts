import type { TPlan } from '@berth/contracts';
import type { TDb } from '@berth/db';
import type { TPrincipal } from '../auth/principal.ts';
import { catalogWhere } from './catalog-where.ts';
import { toPlanDto } from './to-catalog-dto.ts';

type TOptions = { db: TDb; principal: TPrincipal; includeRetired?: boolean };

/**
 * Plans the caller may order, cheapest first: public ones and its (reseller's) private ones; admins see
 * all. A catalog is small (creation caps it), so it comes whole, without a cursor. `includeRetired` also
 * lists plans no longer on sale (servers may still run on them).
 */
export const listPlans = async ({ db, principal, includeRetired = false }: TOptions): Promise<{ data: TPlan[]; nextCursor: null }> => {
  const where = principal.role === 'admin' ? {} : await catalogWhere(db, principal.tenantId);
  const rows = await db.plan.findMany({
    where: { AND: [where, includeRetired ? {} : { active: true }] },
    orderBy: [{ priceCentsMonthly: 'asc' }, { id: 'asc' }],
  });
  return { data: rows.map(toPlanDto), nextCursor: null };
};
