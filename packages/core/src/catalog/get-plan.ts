import type { TDb } from '@berth/db';
import type { TPrincipal } from '../auth/principal.ts';
import { notFound } from '../errors/not-found.ts';
import { catalogWhere } from './catalog-where.ts';
import { toPlanDto } from './to-catalog-dto.ts';
import { withRetail } from './with-retail.ts';

type TOptions = { db: TDb; principal: TPrincipal; planId: string };

/** One plan the caller may see (retired ones included: servers may still run on them), at the price it pays. */
export const getPlan = async ({ db, principal, planId }: TOptions) => {
  const where = principal.role === 'admin' ? {} : await catalogWhere(db, principal.tenantId);
  const row = await db.plan.findFirst({ where: { AND: [{ id: planId }, where] } });
  if (!row) throw notFound('plan', planId);
  const [priced] = await withRetail(db, principal.tenantId, [row]);
  return toPlanDto(priced!);
};
