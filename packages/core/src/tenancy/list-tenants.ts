import type { TListTenantsQuery } from '@berth/contracts';
import type { TDb } from '@berth/db';
import { requireScope, type TPrincipal } from '../auth/principal.ts';
import { keyset } from '../pagination/keyset.ts';
import { visibleTenants } from './tenant-access.ts';
import { toTenantDto } from './to-tenant-dto.ts';

type TOptions = { db: TDb; principal: TPrincipal; query: TListTenantsQuery };

export const listTenants = async ({ db, principal, query }: TOptions) => {
  requireScope(principal, 'account:read');
  const k = keyset(query.cursor, query.limit);
  const rows = await db.tenant.findMany({
    where: { AND: [visibleTenants(principal), k.where, query.parentId ? { parentId: query.parentId } : {}] },
    orderBy: k.orderBy, take: k.take,
  });
  return k.page(rows, toTenantDto);
};
