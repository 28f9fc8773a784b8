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
  return { tenantId, plan, template };
};
