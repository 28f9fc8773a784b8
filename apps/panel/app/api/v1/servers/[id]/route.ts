import { ROUTES } from '@berth/contracts';
import { deleteServer, getServer, renameServer } from '@berth/core';
import { apiRoute } from '../../../../../server/api-route.ts';

export const GET = apiRoute(ROUTES.getServer, ({ db, principal, params }) => getServer({ db, principal, serverId: params.id }));
export const PATCH = apiRoute(ROUTES.updateServer, ({ db, principal, params, body }) => renameServer({ db, principal, serverId: params.id, input: body }));
export const DELETE = apiRoute(ROUTES.deleteServer, ({ db, principal, params }) => deleteServer({ db, principal, serverId: params.id }));
