import type { TServerPermission } from '@berth/contracts';
import type { TDb } from '@berth/db';
import { requireServerPermission } from '../auth/require-server-permission.ts';
import type { TScope } from '@berth/contracts';
import { requireScope, tenantScope, type TPrincipal } from '../auth/principal.ts';
import { notFound } from '../errors/not-found.ts';

type TOptions = { db: TDb; principal: TPrincipal; serverId: string; scope: TScope; permission: TServerPermission };

/** The server row, if the caller may see it and (sub-users) holds `permission` on it; else not_found / forbidden. */
export const findVisibleServer = async ({ db, principal, serverId, scope, permission }: TOptions) => {
  requireScope(principal, scope);
  const server = await db.server.findFirst({ where: { id: serverId, ...tenantScope(principal) }, include: { plan: true, host: true } });
  if (!server) throw notFound('server', serverId);
  await requireServerPermission({ db, principal, serverId, permission });
  return server;
};
