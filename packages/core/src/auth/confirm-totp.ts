import { randomBytes } from 'node:crypto';
import type { TDb } from '@berth/db';
import { recordAudit } from '../audit/record-audit.ts';
import { AppError } from '../errors/app-error.ts';
import { hashRecoveryCode } from './log-in.ts';
import { requireScope, type TPrincipal } from './principal.ts';
import { unseal } from './secret-box.ts';
import { matchTotp } from './totp.ts';

type TOptions = { db: TDb; principal: TPrincipal; sessionSecret: string; code: string };

const recoveryCode = () => randomBytes(6).toString('hex').replace(/(.{4})(.{4})(.{4})/, '$1-$2-$3');

/** Turn TOTP on with a first valid code; returns 10 single-use recovery codes, shown once. */
export const confirmTotp = async ({ db, principal, sessionSecret, code }: TOptions): Promise<{ recoveryCodes: string[] }> => {
  requireScope(principal, 'account:write');
  const user = await db.user.findUniqueOrThrow({ where: { id: principal.userId } });
  if (user.totpEnabledAt) throw new AppError('invalid_state', 'Two-factor sign-in is already on.');
  if (!user.totpSecret) throw new AppError('invalid_state', 'Start enrolment first (POST /account/totp).');
  const step = matchTotp(unseal(sessionSecret, 'totp', user.totpSecret), code);
  if (step === null) throw new AppError('validation_failed', 'That code does not match; check the device clock.', { fieldErrors: [{ path: 'code', message: 'wrong code' }] });
  const codes = Array.from({ length: 10 }, recoveryCode);
  await db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: user.id }, data: { totpEnabledAt: new Date(), totpLastStep: step, recoveryCodes: codes.map(hashRecoveryCode) } });
    await recordAudit({ tx, principal, action: 'user.totp_enable', targetType: 'user', targetId: user.id });
  });
  return { recoveryCodes: codes };
};
