import type { TPlan } from '@berth/contracts';
import type { TDb } from '@berth/db';
import type { TPrincipal } from '../auth/principal.ts';
import { catalogFor } from './catalog-where.ts';
import { toPlanDto } from './to-catalog-dto.ts';
import { withRetail } from './with-retail.ts';

/** `forTenantId`: the catalog that tenant orders from (e.g. a server's owner, for its resize choices), if the caller can see it. */
type TOptions = { db: TDb; principal: TPrincipal; includeRetired?: boolean; forTenantId?: string };

/**
 * Plans the caller may order, cheapest first (at the prices it pays: a reseller's retail prices for its
 * customers): public ones and its (reseller's) private ones; admins see
 * all. A catalog is small (creation caps it), so it comes whole, without a cursor. `includeRetired` also
 * lists plans no longer on sale (servers may still run on them).
 */
export const listPlans = async ({ db, principal, includeRetired = false, forTenantId }: TOptions): Promise<{ data: TPlan[]; nextCursor: null }> => {
  const where = await catalogFor({ db, principal, forTenantId });
  const rows = await db.plan.findMany({
    where: { AND: [where, includeRetired ? {} : { active: true }] },
    orderBy: [{ priceCentsMonthly: 'asc' }, { id: 'asc' }],
  });
  // A reseller's customers see the reseller's retail prices, which are what they will pay.
  const data = (await withRetail(db, forTenantId ?? principal.tenantId, rows)).map(toPlanDto);
  return { data: data.sort((a, b) => a.priceCentsMonthly - b.priceCentsMonthly || a.id.localeCompare(b.id)), nextCursor: null };
};
