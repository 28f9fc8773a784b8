import type { TDb } from '@berth/db';
import { recordAudit } from '../audit/record-audit.ts';
import { AppError } from '../errors/app-error.ts';
import { hashPassword, verifyPassword } from './password.ts';
import { requireScope, type TPrincipal } from './principal.ts';
import { sessionIdOf } from './session-token.ts';

type TOptions = { db: TDb; principal: TPrincipal; current: string; next: string; keepSessionToken?: string };

/**
 * Change one's own password (the current one is asked for: a stolen session alone cannot). Every other
 * session of the user ends; the one making the change stays signed in.
 */
export const changePassword = async ({ db, principal, current, next, keepSessionToken }: TOptions): Promise<null> => {
  requireScope(principal, 'account:write');
  const user = await db.user.findUniqueOrThrow({ where: { id: principal.userId } });
  if (!user.passwordHash || !(await verifyPassword(current, user.passwordHash))) {
    throw new AppError('validation_failed', 'The current password is wrong.', { fieldErrors: [{ path: 'current', message: 'wrong password' }] });
  }
  const passwordHash = await hashPassword(next);
  await db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: user.id }, data: { passwordHash } });
    await tx.session.deleteMany({ where: { userId: user.id, ...(keepSessionToken ? { id: { not: sessionIdOf(keepSessionToken) } } : {}) } });
    await recordAudit({ tx, principal, action: 'user.password_change', targetType: 'user', targetId: user.id });
  });
  return null;
};
