import type { NextRequest } from 'next/server';
import { AppError, authenticateApiKey, authenticateSession, type TPrincipal } from '@berth/core';
import type { TDb } from '@berth/db';
import { panel } from './context.ts';
import { problemResponse } from './http.ts';

export const SESSION_COOKIE = 'berth_session';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

type TCtx = { req: NextRequest; principal: TPrincipal; db: TDb; params: Record<string, string> };
type TRouteCtx = { params: Promise<Record<string, string>> };

/** API key, else the UI session cookie. Cookie writes must carry x-berth-csrf: 1, which a cross-site form cannot add. */
const authenticate = async (req: NextRequest, db: TDb, sessionSecret: string): Promise<TPrincipal> => {
  const authorization = req.headers.get('authorization');
  const cookie = req.cookies.get(SESSION_COOKIE)?.value;
  if (authorization || !cookie) return authenticateApiKey({ db, authorization });
  if (!SAFE_METHODS.has(req.method) && req.headers.get('x-berth-csrf') !== '1') {
    throw new AppError('forbidden', 'Cookie-authenticated writes need the x-berth-csrf: 1 header.');
  }
  return authenticateSession({ db, token: cookie, sessionSecret });
};

/** Authenticate, run the handler, and turn any error into problem+json. */
export const withAuth = (handler: (ctx: TCtx) => Promise<Response>) =>
  async (req: NextRequest, route: TRouteCtx): Promise<Response> => {
    try {
      const { db, env } = panel();
      const principal = await authenticate(req, db, env.SESSION_SECRET);
      return await handler({ req, principal, db, params: (await route?.params) ?? {} });
    } catch (err) {
      return problemResponse(err);
    }
  };
