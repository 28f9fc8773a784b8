import { ROUTES } from '@berth/contracts';
import { disableTotp } from '@berth/core';
import { apiRoute } from '../../../../../../server/api-route.ts';

export const POST = apiRoute(ROUTES.disableTotp, ({ db, env, principal, body }) => disableTotp({ db, principal, sessionSecret: env.SESSION_SECRET, code: body.code }));
