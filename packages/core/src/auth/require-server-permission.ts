import type { TServerPermission } from '@berth/contracts';
import type { TDb } from '@berth/db';
import { AppError } from '../errors/app-error.ts';
import { notFound } from '../errors/not-found.ts';
import type { TPrincipal } from './principal.ts';

type TOptions = { db: TDb; principal: TPrincipal; serverId: string; permission: TServerPermission };

/**
 * A sub-user needs the named permission on the server (read from the database on every call, so taking it
 * away takes effect at once); without any row the server does not exist for them. Others pass.
 */
export const requireServerPermission = async ({ db, principal, serverId, permission }: TOptions): Promise<void> => {
  if (!principal.subUser) return;
  const row = await db.serverPermission.findUnique({ where: { userId_serverId: { userId: principal.userId, serverId } } });
  if (!row) throw notFound('server', serverId);
  if (!row.permissions.includes(permission)) throw new AppError('forbidden', `You lack the ${permission} permission on this server.`);
};
