import { ROUTES } from '@berth/contracts';
import { createIpPool, listIpPools } from '@berth/core';
import { apiRoute } from '../../../../server/api-route.ts';

export const GET = apiRoute(ROUTES.listIpPools, ({ db, principal, query }) => listIpPools({ db, principal, query }));
export const POST = apiRoute(ROUTES.createIpPool, ({ db, principal, body }) => createIpPool({ db, principal, input: body }));
