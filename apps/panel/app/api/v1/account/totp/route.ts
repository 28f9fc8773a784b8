import { ROUTES } from '@berth/contracts';
import { beginTotp } from '@berth/core';
import { apiRoute } from '../../../../../server/api-route.ts';

export const POST = apiRoute(ROUTES.beginTotp, ({ db, env, principal }) => beginTotp({ db, principal, sessionSecret: env.SESSION_SECRET }));
