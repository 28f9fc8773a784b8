import type { THostInstall } from '@berth/contracts';
import type { TDb } from '@berth/db';
import { requireScope, type TPrincipal } from '../auth/principal.ts';
import { notFound } from '../errors/not-found.ts';
import { toHostInstallDto } from './install/to-host-install-dto.ts';

type TOptions = { db: TDb; principal: TPrincipal; hostId: string; installId: string };

export const getHostInstall = async ({ db, principal, hostId, installId }: TOptions): Promise<THostInstall> => {
  requireScope(principal, 'admin:*');
  const row = await db.hostInstall.findFirst({ where: { id: installId, hostId } });
  if (!row) throw notFound('host install', installId);
  return toHostInstallDto(row);
};
