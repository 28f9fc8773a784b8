import type { TResellerPrice } from '@berth/contracts';
import type { TDb } from '@berth/db';
import { requireScope, type TPrincipal } from '../auth/principal.ts';
import { AppError } from '../errors/app-error.ts';
import { hourlyCents } from './clock.ts';

type TOptions = { db: TDb; principal: TPrincipal; resellerId?: string };

/** A reseller's wholesale and retail prices (admins: any reseller's; a reseller: its own). */
export const listResellerPrices = async ({ db, principal, resellerId }: TOptions): Promise<{ data: TResellerPrice[]; nextCursor: null }> => {
  requireScope(principal, 'account:read');
  const id = resellerId ?? principal.tenantId;
  if (principal.role !== 'admin' && (principal.role !== 'reseller' || principal.subUser || id !== principal.tenantId)) {
    throw new AppError('forbidden', 'Only admins and the reseller itself see its prices.');
  }
  const rows = await db.resellerPrice.findMany({ where: { resellerId: id }, orderBy: [{ planId: 'asc' }, { kind: 'asc' }] });
  return {
    data: rows.map((r) => ({ resellerId: r.resellerId, planId: r.planId, kind: r.kind, monthlyCents: r.monthlyCents, hourlyCents: hourlyCents({ priceCentsHourly: r.hourlyCents, priceCentsMonthly: r.monthlyCents }) })),
    nextCursor: null,
  };
};
