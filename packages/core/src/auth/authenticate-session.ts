import type { TDb } from '@berth/db';
import { AppError } from '../errors/app-error.ts';
import { ROLE_SCOPES, type TPrincipal } from './principal.ts';
import { readSessionToken } from './session-token.ts';

type TOptions = { db: TDb; token: string | undefined; sessionSecret: string };


export const authenticateSession = async ({ db, token, sessionSecret }: TOptions): Promise<TPrincipal> => {
  const userId = token ? readSessionToken(sessionSecret, token) : null;
  const user = userId ? await db.user.findUnique({ where: { id: userId } }) : null;
  if (!user) throw new AppError('unauthorized', 'Please sign in.');
  return { userId: user.id, tenantId: user.tenantId, role: user.role, scopes: [...ROLE_SCOPES[user.role]], apiKeyId: null,
    subUser: user.subUser, tenantPermissions: user.permissions ?? [] }; // a signed-in person has their role's full rights
};
