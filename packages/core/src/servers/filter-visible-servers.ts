import type { TDb } from '@berth/db';
import { requireScope, tenantScope, type TPrincipal } from '../auth/principal.ts';

type TOptions = { db: TDb; principal: TPrincipal; serverIds: string[] };

/** The subset of serverIds the caller may see (tenant, reseller and sub-user rules), in one query. */
export const filterVisibleServers = async ({ db, principal, serverIds }: TOptions): Promise<string[]> => {
  requireScope(principal, 'servers:read');
  if (serverIds.length === 0) return [];
  const rows = await db.server.findMany({ where: { id: { in: serverIds }, ...tenantScope(principal) }, select: { id: true } });
  return rows.map((r) => r.id);
};
