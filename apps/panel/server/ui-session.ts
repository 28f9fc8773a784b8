import { cache } from 'react';
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { AppError, authenticateSession, type TPrincipal } from '@berth/core';
import type { TDb } from '@berth/db';
import { panel } from './context.ts';
import { SESSION_COOKIE } from './with-auth.ts';

export type TUiSession = { principal: TPrincipal; db: TDb };

/** The signed-in principal, or null for a missing, expired or forged cookie. Cached per request. */
export const findSession = cache(async (): Promise<TUiSession | null> => {
  const token = (await cookies()).get(SESSION_COOKIE)?.value;
  if (!token) return null;
  const { db } = panel();
  try {
    return { principal: await authenticateSession({ db, token }), db };
  } catch (err) {
    if (err instanceof AppError && err.code === 'unauthorized') return null;
    throw err;
  }
});

/** For pages behind sign-in: the session, else a redirect to /login (redirect() throws, so never inside try). */
export const requireSession = async (): Promise<TUiSession> => {
  const session = await findSession();
  if (!session) redirect('/login');
  return session;
};
