import { newId, type TCreatePlanRequest } from '@berth/contracts';
import { isUniqueViolation, type TDb } from '@berth/db';
import { requireScope, type TPrincipal } from '../auth/principal.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { AppError } from '../errors/app-error.ts';
import { notFound } from '../errors/not-found.ts';
import { TX_OPTIONS } from '../tx-options.ts';
import { toPlanDto } from './to-catalog-dto.ts';

type TOptions = { db: TDb; principal: TPrincipal; input: TCreatePlanRequest };

const MAX_ACTIVE_PER_OWNER = 200;

/** Put a plan on sale: admins public or for a reseller tenant, resellers for their own customers. */
export const createPlan = async ({ db, principal, input }: TOptions) => {
  requireScope(principal, 'account:write');
  if (principal.role === 'customer') throw new AppError('forbidden', 'Only resellers and admins create plans.');
  if (input.tenantId && principal.role !== 'admin') throw new AppError('forbidden', 'Only admins choose whose plan it is; yours are your own.');
  const tenantId = principal.role === 'reseller' ? principal.tenantId : (input.tenantId ?? null);
  const { tenantId: _t, ioReadBps, ioWriteBps, ...rest } = input;
  try {
    return await db.$transaction(async (tx) => {
      if (tenantId && !(await tx.tenant.findUnique({ where: { id: tenantId } }))) throw notFound('tenant', tenantId);
      if ((await tx.plan.count({ where: { tenantId, active: true } })) >= MAX_ACTIVE_PER_OWNER) {
        throw new AppError('quota_exceeded', `At most ${MAX_ACTIVE_PER_OWNER} plans may be on sale at once; retire some first.`);
      }
      const row = await tx.plan.create({ data: { id: newId('plan'), ...rest, ioReadBps: BigInt(ioReadBps), ioWriteBps: BigInt(ioWriteBps), tenantId } });
      await recordAudit({ tx, principal, action: 'plan.create', targetType: 'plan', targetId: row.id, data: { name: row.name, tenantId } });
      return toPlanDto(row);
    }, TX_OPTIONS);
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError('conflict', `A plan named ${input.name} already exists.`);
    throw err;
  }
};
