import type { TDb } from '@berth/db';
import { requireScope, type TPrincipal } from '../auth/principal.ts';
import { notFound } from '../errors/not-found.ts';
import { visibleTenants } from './tenant-access.ts';
import { toTenantDto } from './to-tenant-dto.ts';

type TOptions = { db: TDb; principal: TPrincipal; tenantId: string };

export const getTenant = async ({ db, principal, tenantId }: TOptions) => {
  requireScope(principal, 'account:read');
  const row = await db.tenant.findFirst({ where: { AND: [{ id: tenantId }, visibleTenants(principal)] } });
  if (!row) throw notFound('tenant', tenantId);
  return toTenantDto(row);
};
