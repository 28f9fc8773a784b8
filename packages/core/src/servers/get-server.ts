import type { TDb } from '@berth/db';
import { requireScope, tenantScope, type TPrincipal } from '../auth/principal.ts';
import { notFound } from '../errors/not-found.ts';
import { SERVER_INCLUDE, toServerDto } from './to-dto.ts';

type TOptions = { db: TDb; principal: TPrincipal; serverId: string };

export const getServer = async ({ db, principal, serverId }: TOptions) => {
  requireScope(principal, 'servers:read');
  const row = await db.server.findFirst({ where: { id: serverId, ...tenantScope(principal) }, include: SERVER_INCLUDE });
  if (!row) throw notFound('server', serverId);
  return toServerDto(row);
};
