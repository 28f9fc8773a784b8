import type { TDb } from '@berth/db';
import { requireScope, type TPrincipal } from '../auth/principal.ts';
import { notFound } from '../errors/not-found.ts';
import { HOST_INCLUDE, toHostDto } from './to-host-dto.ts';

type TOptions = { db: TDb; principal: TPrincipal; hostId: string };

export const getHost = async ({ db, principal, hostId }: TOptions) => {
  requireScope(principal, 'admin:*');
  const row = await db.host.findUnique({ where: { id: hostId }, include: HOST_INCLUDE });
  if (!row) throw notFound('host', hostId);
  return toHostDto(row);
};
