import type { TDb } from '@berth/db';
import { requireScope, type TPrincipal } from '../auth/principal.ts';
import { toUserDto } from './to-user-dto.ts';

type TOptions = { db: TDb; principal: TPrincipal };

/** The caller's own account: who they are and whether two-factor sign-in is on. */
export const getAccount = async ({ db, principal }: TOptions) => {
  requireScope(principal, 'account:read');
  const user = await db.user.findUniqueOrThrow({ where: { id: principal.userId } });
  return { user: toUserDto(user), totpEnabled: user.totpEnabledAt !== null, scopes: principal.scopes };
};
