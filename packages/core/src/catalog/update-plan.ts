import type { TUpdatePlanRequest } from '@berth/contracts';
import { isUniqueViolation, type TDb } from '@berth/db';
import { requireScope, type TPrincipal } from '../auth/principal.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { AppError } from '../errors/app-error.ts';
import { notFound } from '../errors/not-found.ts';
import { TX_OPTIONS } from '../tx-options.ts';
import { catalogWhere } from './catalog-where.ts';
import { toPlanDto } from './to-catalog-dto.ts';

type TOptions = { db: TDb; principal: TPrincipal; planId: string; input: TUpdatePlanRequest };

/** Rename, reprice or retire (active: false) a plan: admins any, resellers their own. Limits never change. */
export const updatePlan = async ({ db, principal, planId, input }: TOptions) => {
  requireScope(principal, 'account:write');
  const visible = principal.role === 'admin' ? {} : await catalogWhere(db, principal.tenantId);
  try {
    return await db.$transaction(async (tx) => {
      const plan = await tx.plan.findFirst({ where: { AND: [{ id: planId }, visible] } });
      if (!plan) throw notFound('plan', planId);
      if (principal.role !== 'admin' && (principal.role !== 'reseller' || plan.tenantId !== principal.tenantId)) {
        throw new AppError('forbidden', 'Only its owner or an admin may change a plan.');
      }
      const row = await tx.plan.update({ where: { id: planId }, data: input });
      await recordAudit({ tx, principal, action: 'plan.update', targetType: 'plan', targetId: planId, data: input as Record<string, unknown> });
      return toPlanDto(row);
    }, TX_OPTIONS);
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError('conflict', `A plan named ${input.name} already exists.`);
    throw err;
  }
};
