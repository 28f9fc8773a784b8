import type { TCreateServerRequest } from '@berth/contracts';
import type { TDb } from '@berth/db';
import type { TPrincipal } from '../auth/principal.ts';
import { catalogWhere } from '../catalog/catalog-where.ts';
import { AppError } from '../errors/app-error.ts';
import { notFound } from '../errors/not-found.ts';
import { managedTenants } from '../tenancy/tenant-access.ts';

type TOptions = { db: TDb; principal: TPrincipal; input: Pick<TCreateServerRequest, 'tenantId' | 'planId' | 'templateId'> };

/**
 * Whose server an order is (the caller's tenant, or a customer it manages) and the plan and template,
 * which must be on sale to that tenant (public or its reseller's). Shared by ordering and quoting.
 */
export const resolveOrder = async ({ db, principal, input }: TOptions) => {
  const tenantId = input.tenantId ?? principal.tenantId;
  if (tenantId !== principal.tenantId) {
    const managed = managedTenants(principal);
    if (!managed || !(await db.tenant.findFirst({ where: { AND: [{ id: tenantId }, managed] } }))) throw notFound('tenant', tenantId);
  }
  const sold = await catalogWhere(db, tenantId);
  const [plan, template] = await Promise.all([
    db.plan.findFirst({ where: { AND: [{ id: input.planId, active: true }, sold] } }),
    db.template.findFirst({ where: { AND: [{ id: input.templateId, active: true }, sold] } }),
  ]);
  const fieldErrors = [
    ...(plan ? [] : [{ path: 'planId', message: `unknown plan ${input.planId}` }]),
    ...(template ? [] : [{ path: 'templateId', message: `unknown template ${input.templateId}` }]),
  ];
  if (!plan || !template) throw new AppError('validation_failed', 'The plan or template does not exist.', { fieldErrors });
  // A reseller's own plan is sold only once the platform has set what the reseller pays for it (else the
  // reseller would set its own wholesale price through the plan's list price).
  if (plan.tenantId && !(await db.resellerPrice.findUnique({ where: { resellerId_planId_kind: { resellerId: plan.tenantId, planId: plan.id, kind: 'wholesale' } } }))) {
    throw new AppError('invalid_state', 'This plan is not on sale yet: the platform has not set its wholesale price.');
  }
  // A reseller suspended for non-payment cannot take new orders for its customers either.
  const parent = (await db.tenant.findUnique({ where: { id: tenantId }, select: { parent: { select: { suspendedAt: true } } } }))?.parent;
  if (parent?.suspendedAt) throw new AppError('invalid_state', 'New orders are paused: the reseller\'s account is suspended for non-payment.');
  return { tenantId, plan, template };
};
