import type { NextRequest } from 'next/server';
import { AppError, authenticateApiKey, authenticateSession, type TPrincipal } from '@berth/core';
import type { TDb } from '@berth/db';
import { panel } from './context.ts';
import { problemResponse } from './http.ts';

export const SESSION_COOKIE = 'berth_session';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

type TCtx = { req: NextRequest; principal: TPrincipal; db: TDb; params: Record<string, string> };
type TRouteCtx = { params: Promise<Record<string, string>> };

/** Authenticate (API key, else UI session cookie), run the handler, and turn any error into problem+json. */
export const withAuth = (handler: (ctx: TCtx) => Promise<Response>) =>
  async (req: NextRequest, route: TRouteCtx): Promise<Response> => {
    try {
      const { db, env } = panel();
      const authorization = req.headers.get('authorization');
      if (!authorization && !SAFE_METHODS.has(req.method) && req.headers.get('x-berth-csrf') !== '1') {
        // Browsers cannot add a custom header cross-site without CORS, so its presence proves same-origin.
        throw new AppError('forbidden', 'Cookie-authenticated writes need the x-berth-csrf: 1 header.');
      }
      const principal = authorization
        ? await authenticateApiKey({ db, authorization })
        : await authenticateSession({ db, token: req.cookies.get(SESSION_COOKIE)?.value, sessionSecret: env.SESSION_SECRET });
      return await handler({ req, principal, db, params: (await route?.params) ?? {} });
    } catch (err) {
      return problemResponse(err);
    }
  };
