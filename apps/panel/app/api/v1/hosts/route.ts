import { ROUTES } from '@berth/contracts';
import { addHost, listHosts } from '@berth/core';
import { apiRoute } from '../../../../server/api-route.ts';

export const GET = apiRoute(ROUTES.listHosts, ({ db, principal, query }) => listHosts({ db, principal, query }));
export const POST = apiRoute(ROUTES.addHost, ({ db, env, principal, body }) => addHost({ db, principal, input: body, sessionSecret: env.SESSION_SECRET }));
