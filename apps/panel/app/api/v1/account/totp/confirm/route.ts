import { ROUTES } from '@berth/contracts';
import { confirmTotp } from '@berth/core';
import { apiRoute } from '../../../../../../server/api-route.ts';

export const POST = apiRoute(ROUTES.confirmTotp, ({ db, env, principal, body }) => confirmTotp({ db, principal, sessionSecret: env.SESSION_SECRET, code: body.code }));
