import type { TPlan } from '@berth/contracts';
import type { TDb } from '@berth/db';
import type { TPrincipal } from '../auth/principal.ts';
import { catalogFor } from './catalog-where.ts';
import { toPlanDto } from './to-catalog-dto.ts';

/** `forTenantId`: the catalog that tenant orders from (e.g. a server's owner, for its resize choices), if the caller can see it. */
type TOptions = { db: TDb; principal: TPrincipal; includeRetired?: boolean; forTenantId?: string };

/**
 * Plans the caller may order, cheapest first: public ones and its (reseller's) private ones; admins see
 * all. A catalog is small (creation caps it), so it comes whole, without a cursor. `includeRetired` also
 * lists plans no longer on sale (servers may still run on them).
 */
export const listPlans = async ({ db, principal, includeRetired = false, forTenantId }: TOptions): Promise<{ data: TPlan[]; nextCursor: null }> => {
  const where = await catalogFor({ db, principal, forTenantId });
  const rows = await db.plan.findMany({
    where: { AND: [where, includeRetired ? {} : { active: true }] },
    orderBy: [{ priceCentsMonthly: 'asc' }, { id: 'asc' }],
  });
  return { data: rows.map(toPlanDto), nextCursor: null };
};
