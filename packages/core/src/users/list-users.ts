import type { TListUsersQuery } from '@berth/contracts';
import type { TDb } from '@berth/db';
import { requireScope, type TPrincipal } from '../auth/principal.ts';
import { keyset } from '../pagination/keyset.ts';
import { visibleTenants } from '../tenancy/tenant-access.ts';
import { toUserDto } from './to-user-dto.ts';

type TOptions = { db: TDb; principal: TPrincipal; query: TListUsersQuery };

/** Users of the tenants the caller may see (a sub-user sees itself). */
export const listUsers = async ({ db, principal, query }: TOptions) => {
  requireScope(principal, 'account:read');
  const k = keyset(query.cursor, query.limit);
  const rows = await db.user.findMany({
    where: {
      AND: [{ tenant: visibleTenants(principal) }, principal.subUser ? { id: principal.userId } : {}, k.where, query.tenantId ? { tenantId: query.tenantId } : {}],
    },
    orderBy: k.orderBy, take: k.take,
  });
  return k.page(rows, toUserDto);
};
