import type { NextRequest } from 'next/server';
import { AppError, authenticateApiKey, authenticateSession, type TPrincipal, type TRequestMeta } from '@berth/core';
import type { TDb } from '@berth/db';

export const SESSION_COOKIE = 'berth_session';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** API key, else the UI session cookie. Cookie writes must carry x-berth-csrf: 1, which a cross-site form cannot add. */
export const authenticate = async (req: NextRequest, db: TDb, request?: TRequestMeta): Promise<TPrincipal> => {
  const authorization = req.headers.get('authorization');
  const cookie = req.cookies.get(SESSION_COOKIE)?.value;
  if (authorization || !cookie) return authenticateApiKey({ db, authorization, request });
  if (!SAFE_METHODS.has(req.method) && req.headers.get('x-berth-csrf') !== '1') {
    throw new AppError('forbidden', 'Cookie-authenticated writes need the x-berth-csrf: 1 header.');
  }
  return authenticateSession({ db, token: cookie, request });
};
