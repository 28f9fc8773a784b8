import type { TDb } from '@berth/db';
import { recordAudit } from '../audit/record-audit.ts';
import { AppError } from '../errors/app-error.ts';
import { requireScope, type TPrincipal } from './principal.ts';
import { seal } from './secret-box.ts';
import { newTotpSecret, otpauthUri } from './totp.ts';

type TOptions = { db: TDb; principal: TPrincipal; sessionSecret: string };

/** Start TOTP enrolment: a new secret (stored sealed, not yet enforced) for the authenticator app. */
export const beginTotp = async ({ db, principal, sessionSecret }: TOptions) => {
  requireScope(principal, 'account:write');
  const user = await db.user.findUniqueOrThrow({ where: { id: principal.userId } });
  if (user.totpEnabledAt) throw new AppError('invalid_state', 'Two-factor sign-in is already on; turn it off first to enrol a new device.');
  const secret = newTotpSecret();
  await db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: user.id }, data: { totpSecret: seal(sessionSecret, 'totp', secret), totpLastStep: null } });
    await recordAudit({ tx, principal, action: 'user.totp_begin', targetType: 'user', targetId: user.id });
  });
  return { secret, otpauthUri: otpauthUri(secret, user.email) };
};
