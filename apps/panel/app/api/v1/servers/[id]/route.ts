import { ROUTES } from '@berth/contracts';
import { deleteServer, getServer } from '@berth/core';
import { apiRoute } from '../../../../../server/api-route.ts';

export const GET = apiRoute(ROUTES.getServer, ({ db, principal, params }) => getServer({ db, principal, serverId: params.id }));
export const DELETE = apiRoute(ROUTES.deleteServer, ({ db, principal, params }) => deleteServer({ db, principal, serverId: params.id }));
