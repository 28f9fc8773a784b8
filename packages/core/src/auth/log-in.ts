import type { TDb } from '@berth/db';
import { AppError } from '../errors/app-error.ts';
import { verifyPassword } from './password.ts';
import { createSessionToken } from './session-token.ts';

type TOptions = { db: TDb; email: string; password: string; sessionSecret: string };

/** Check email + password and return a session token; one vague error for every failure. */
export const logIn = async ({ db, email, password, sessionSecret }: TOptions): Promise<{ token: string }> => {
  const user = await db.user.findUnique({ where: { email: email.trim().toLowerCase() } });
  if (!user?.passwordHash || !(await verifyPassword(password, user.passwordHash))) {
    throw new AppError('unauthorized', 'Wrong email or password.');
  }
  return { token: createSessionToken(sessionSecret, user.id) };
};
