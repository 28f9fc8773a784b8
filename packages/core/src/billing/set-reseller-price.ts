import type { TResellerPrice, TSetResellerPriceRequest } from '@berth/contracts';
import type { TDb } from '@berth/db';
import { recordAudit } from '../audit/record-audit.ts';
import { requireScope, type TPrincipal } from '../auth/principal.ts';
import { catalogWhere } from '../catalog/catalog-where.ts';
import { AppError } from '../errors/app-error.ts';
import { notFound } from '../errors/not-found.ts';
import { TX_OPTIONS } from '../tx-options.ts';
import { hourlyCents } from './clock.ts';

type TOptions = { db: TDb; principal: TPrincipal; input: TSetResellerPriceRequest };

/**
 * Set (or, with monthlyCents null, remove) a reseller's wholesale or retail price of a plan it sells.
 * Wholesale is the platform's to set (admins); retail is the reseller's own. Hours already metered keep
 * the price they were metered at.
 */
export const setResellerPrice = async ({ db, principal, input }: TOptions): Promise<TResellerPrice | null> => {
  requireScope(principal, 'account:write');
  const resellerId = input.resellerId ?? principal.tenantId;
  if (principal.role !== 'admin') {
    if (principal.role !== 'reseller' || principal.subUser || resellerId !== principal.tenantId) throw new AppError('forbidden', 'Resellers set their own retail prices; admins set wholesale prices.');
    if (input.kind !== 'retail') throw new AppError('forbidden', 'Wholesale prices are set by the platform.');
  }
  if (!(await db.tenant.findUnique({ where: { id: resellerId }, select: { id: true } }))) throw notFound('tenant', resellerId);
  if (!(await db.user.findFirst({ where: { tenantId: resellerId, role: 'reseller' }, select: { id: true } }))) {
    throw new AppError('validation_failed', 'Only a reseller\'s tenant has reseller prices.', { fieldErrors: [{ path: 'resellerId', message: 'not a reseller' }] });
  }
  // Only plans the reseller may sell: public ones and its own.
  if (!(await db.plan.findFirst({ where: { AND: [{ id: input.planId }, await catalogWhere(db, resellerId)] }, select: { id: true } }))) {
    throw new AppError('validation_failed', `unknown plan ${input.planId}`, { fieldErrors: [{ path: 'planId', message: `unknown plan ${input.planId}` }] });
  }
  return db.$transaction(async (tx) => {
    const key = { resellerId_planId_kind: { resellerId, planId: input.planId, kind: input.kind } };
    await recordAudit({ tx, principal, action: `billing.price.${input.kind}`, targetType: 'plan', targetId: input.planId, tenantId: resellerId, data: { monthlyCents: input.monthlyCents, hourlyCents: input.hourlyCents } });
    if (input.monthlyCents === null) {
      await tx.resellerPrice.deleteMany({ where: { resellerId, planId: input.planId, kind: input.kind } });
      return null;
    }
    const data = { monthlyCents: input.monthlyCents, hourlyCents: input.hourlyCents ?? null };
    const row = await tx.resellerPrice.upsert({ where: key, create: { resellerId, planId: input.planId, kind: input.kind, ...data }, update: data });
    return { resellerId, planId: row.planId, kind: row.kind, monthlyCents: row.monthlyCents, hourlyCents: hourlyCents({ priceCentsHourly: row.hourlyCents, priceCentsMonthly: row.monthlyCents }) };
  }, TX_OPTIONS);
};
