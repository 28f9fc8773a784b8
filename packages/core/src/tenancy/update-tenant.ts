import type { TUpdateTenantByIdRequest } from '@berth/contracts';
import type { TDb } from '@berth/db';
import { requireScope, type TPrincipal } from '../auth/principal.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { AppError } from '../errors/app-error.ts';
import { notFound } from '../errors/not-found.ts';
import { TX_OPTIONS } from '../tx-options.ts';
import { managedTenants, visibleTenants } from './tenant-access.ts';
import { toTenantDto } from './to-tenant-dto.ts';

type TOptions = { db: TDb; principal: TPrincipal; tenantId: string; input: TUpdateTenantByIdRequest };

/** Rename a tenant, set its quotas or how it is billed: admins any tenant, resellers their customers' (never their own). */
export const updateTenant = async ({ db, principal, tenantId, input }: TOptions) => {
  requireScope(principal, 'account:write');
  return db.$transaction(async (tx) => {
    if (!(await tx.tenant.findFirst({ where: { AND: [{ id: tenantId }, visibleTenants(principal)] } }))) throw notFound('tenant', tenantId);
    const managed = managedTenants(principal);
    if (!managed || !(await tx.tenant.findFirst({ where: { AND: [{ id: tenantId }, managed] } }))) {
      throw new AppError('forbidden', 'Your own tenant\'s quotas are set by whoever sells to you.');
    }
    if (input.currency) {
      const current = await tx.tenant.findUniqueOrThrow({ where: { id: tenantId }, select: { currency: true } });
      const billed = await tx.ledgerEntry.findFirst({ where: { tenantId }, select: { id: true } }) ?? await tx.usageLine.findFirst({ where: { tenantId }, select: { serverId: true } });
      if (input.currency !== current.currency && billed) {
        throw new AppError('validation_failed', 'The currency cannot change once the account has been billed.', { fieldErrors: [{ path: 'currency', message: 'fixed once billing has started' }] });
      }
    }
    const row = await tx.tenant.update({ where: { id: tenantId }, data: { name: input.name, ...input.quotas, billingMode: input.billingMode, currency: input.currency } });
    await recordAudit({ tx, principal, action: 'tenant.update', targetType: 'tenant', targetId: tenantId, data: input as Record<string, unknown> });
    return toTenantDto(row);
  }, TX_OPTIONS);
};
