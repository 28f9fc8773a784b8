import type { TDb } from '@berth/db';
import { recordAudit } from '../audit/record-audit.ts';
import { AppError } from '../errors/app-error.ts';
import { hashRecoveryCode } from './log-in.ts';
import { requireScope, type TPrincipal } from './principal.ts';
import { unseal } from './secret-box.ts';
import { matchTotp } from './totp.ts';

type TOptions = { db: TDb; principal: TPrincipal; sessionSecret: string; code: string };

/** Turn TOTP off; takes a current code or a recovery code, so a stolen session alone cannot. */
export const disableTotp = async ({ db, principal, sessionSecret, code }: TOptions): Promise<null> => {
  requireScope(principal, 'account:write');
  const user = await db.user.findUniqueOrThrow({ where: { id: principal.userId } });
  if (!user.totpEnabledAt || !user.totpSecret) throw new AppError('invalid_state', 'Two-factor sign-in is not on.');
  const ok = matchTotp(unseal(sessionSecret, 'totp', user.totpSecret), code) !== null || user.recoveryCodes.includes(hashRecoveryCode(code));
  if (!ok) throw new AppError('validation_failed', 'That code does not match.', { fieldErrors: [{ path: 'code', message: 'wrong code' }] });
  await db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: user.id }, data: { totpEnabledAt: null, totpSecret: null, totpLastStep: null, recoveryCodes: [] } });
    await recordAudit({ tx, principal, action: 'user.totp_disable', targetType: 'user', targetId: user.id });
  });
  return null;
};
