import { ROUTES } from '@berth/contracts';
import { changePassword } from '@berth/core';
import { apiRoute } from '../../../../../server/api-route.ts';
import { SESSION_COOKIE } from '../../../../../server/with-auth.ts';

export const POST = apiRoute(ROUTES.changePassword, ({ req, db, principal, body }) =>
  changePassword({ db, principal, current: body.current, next: body.next, keepSessionToken: req.cookies.get(SESSION_COOKIE)?.value }));
