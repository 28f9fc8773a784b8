import type { TDb } from '@berth/db';
import { AppError } from '../errors/app-error.ts';
import { ROLE_SCOPES, type TPrincipal, type TRequestMeta } from './principal.ts';
import { sessionIdOf } from './session-token.ts';

type TOptions = { db: TDb; token: string | undefined; request?: TRequestMeta };

/** The session's user, re-read on every request: a removed user or a deleted session is signed out at once. */
export const authenticateSession = async ({ db, token, request }: TOptions): Promise<TPrincipal> => {
  const now = new Date();
  const session = token ? await db.session.findUnique({ where: { id: sessionIdOf(token) }, include: { user: true } }) : null;
  if (!session || session.expiresAt <= now) throw new AppError('unauthorized', 'Please sign in.');
  if (now.getTime() - session.lastSeenAt.getTime() > 60_000) {
    db.session.update({ where: { id: session.id }, data: { lastSeenAt: now } }).catch(() => {}); // best effort
  }
  const { user } = session;
  // A signed-in person has their role's full rights.
  return {
    userId: user.id, tenantId: user.tenantId, role: user.role, scopes: [...ROLE_SCOPES[user.role]], apiKeyId: null, request,
    subUser: user.subUser, tenantPermissions: user.permissions ?? [],
  };
};
