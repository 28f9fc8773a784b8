import { newId, type TCreateTenantRequest } from '@berth/contracts';
import type { TDb } from '@berth/db';
import { requireScope, type TPrincipal } from '../auth/principal.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { AppError } from '../errors/app-error.ts';
import { TX_OPTIONS } from '../tx-options.ts';
import { toTenantDto } from './to-tenant-dto.ts';

type TOptions = { db: TDb; principal: TPrincipal; input: TCreateTenantRequest };

/** A new customer tenant: a reseller's always goes under the reseller; an admin may name any reseller tenant as parent. */
export const createTenant = async ({ db, principal, input }: TOptions) => {
  requireScope(principal, 'account:write');
  if (principal.role === 'customer') throw new AppError('forbidden', 'Only resellers and admins create tenants.');
  if (input.parentId && principal.role !== 'admin') {
    throw new AppError('forbidden', 'Only admins choose the parent tenant; yours are created under your own.');
  }
  const parentId = principal.role === 'reseller' ? principal.tenantId : (input.parentId ?? null);
  return db.$transaction(async (tx) => {
    if (parentId && !(await tx.tenant.findUnique({ where: { id: parentId } }))) {
      throw new AppError('validation_failed', `Parent tenant ${parentId} does not exist.`, { fieldErrors: [{ path: 'parentId', message: 'unknown tenant' }] });
    }
    const row = await tx.tenant.create({ data: { id: newId('tenant'), name: input.name, parentId, ...input.quotas, billingMode: input.billingMode, currency: input.currency } });
    await recordAudit({ tx, principal, action: 'tenant.create', targetType: 'tenant', targetId: row.id, data: { parentId } });
    return toTenantDto(row);
  }, TX_OPTIONS);
};
