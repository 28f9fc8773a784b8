import { ROUTES } from '@berth/contracts';
import { actOnServer } from '@berth/core';
import { apiRoute } from '../../../../../../server/api-route.ts';

export const POST = apiRoute(ROUTES.actOnServer, ({ db, principal, params, body }) => actOnServer({ db, principal, serverId: params.id, action: body }));
