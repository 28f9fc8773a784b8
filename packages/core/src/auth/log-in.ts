import { createHash } from 'node:crypto';
import type { TDb } from '@berth/db';
import { recordAudit } from '../audit/record-audit.ts';
import { AppError } from '../errors/app-error.ts';
import { hashPassword, needsRehash, verifyPassword } from './password.ts';
import { unseal } from './secret-box.ts';
import { newSessionToken, SESSION_TTL_S, sessionIdOf } from './session-token.ts';
import { matchTotp } from './totp.ts';

type TOptions = {
  db: TDb;
  email: string;
  password: string;
  /** A 6-digit code from the authenticator, or one of the recovery codes, when the user has TOTP on. */
  totp?: string;
  recoveryCode?: string;
  sessionSecret: string;
  request?: { ip: string | null; userAgent: string | null };
};

export const hashRecoveryCode = (code: string): string => createHash('sha256').update(code.trim().toLowerCase()).digest('hex');

/**
 * Check email + password (and the second factor when enabled) and open a session; one vague error for a
 * wrong email or password. Returns the cookie token (stored only hashed). Hashes of older versions are
 * upgraded to argon2id here, the only moment the plain password is known.
 */
export const logIn = async ({ db, email, password, totp, recoveryCode, sessionSecret, request }: TOptions): Promise<{ token: string }> => {
  const user = await db.user.findUnique({ where: { email: email.trim().toLowerCase() } });
  if (!user?.passwordHash || !(await verifyPassword(password, user.passwordHash))) {
    throw new AppError('unauthorized', 'Wrong email or password.');
  }
  if (needsRehash(user.passwordHash)) await db.user.update({ where: { id: user.id }, data: { passwordHash: await hashPassword(password) } });
  if (user.totpEnabledAt && user.totpSecret) {
    if (!totp && !recoveryCode) throw new AppError('mfa_required', 'Enter the 6-digit code from your authenticator app (or a recovery code).');
    if (totp) {
      const step = matchTotp(unseal(sessionSecret, 'totp', user.totpSecret), totp);
      // Conditional update: the same code (step) is accepted once, even by two requests at the same moment.
      const ok = step !== null && (await db.user.updateMany({
        where: { id: user.id, OR: [{ totpLastStep: null }, { totpLastStep: { lt: step } }] }, data: { totpLastStep: step },
      })).count === 1;
      if (!ok) throw new AppError('unauthorized', 'That code is wrong or was already used.');
    } else {
      const h = hashRecoveryCode(recoveryCode!);
      // One statement: two sign-ins at once with two codes cannot write back each other's used code.
      const ok = (await db.$executeRaw`
        UPDATE users SET recovery_codes = array_remove(recovery_codes, ${h}) WHERE id = ${user.id} AND ${h} = ANY(recovery_codes)`) === 1;
      if (!ok) throw new AppError('unauthorized', 'That recovery code is wrong or was already used.');
    }
  }
  const token = newSessionToken();
  const actor = { userId: user.id, tenantId: user.tenantId, role: user.role, scopes: [], request: { ip: request?.ip ?? null, requestId: null } };
  await db.$transaction(async (tx) => {
    await tx.session.create({
      data: {
        id: sessionIdOf(token), userId: user.id, ip: request?.ip ?? null, userAgent: request?.userAgent?.slice(0, 300) ?? null,
        expiresAt: new Date(Date.now() + SESSION_TTL_S * 1000),
      },
    });
    const method = !user.totpEnabledAt ? 'password' : totp ? 'totp' : 'recovery_code';
    await recordAudit({ tx, principal: actor, action: 'user.login', targetType: 'user', targetId: user.id, data: { method } });
  });
  return { token };
};
