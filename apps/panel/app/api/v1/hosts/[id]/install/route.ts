import { ROUTES } from '@berth/contracts';
import { installHost } from '@berth/core';
import { apiRoute } from '../../../../../../server/api-route.ts';

export const POST = apiRoute(ROUTES.installHost, ({ db, env, principal, params, body }) => installHost({ db, principal, hostId: params.id, input: body, sessionSecret: env.SESSION_SECRET }));
