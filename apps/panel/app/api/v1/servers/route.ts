import { ROUTES } from '@berth/contracts';
import { createServer, listServers } from '@berth/core';
import { apiRoute } from '../../../../server/api-route.ts';

export const GET = apiRoute(ROUTES.listServers, ({ db, principal, query }) => listServers({ db, principal, query }));
export const POST = apiRoute(ROUTES.createServer, ({ db, principal, body }) => createServer({ db, principal, input: body }));
