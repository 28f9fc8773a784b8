import { ROUTES } from '@berth/contracts';
import { rescueServer } from '@berth/core';
import { apiRoute } from '../../../../../../server/api-route.ts';

export const POST = apiRoute(ROUTES.rescueServer, ({ db, principal, params, body }) => rescueServer({ db, principal, serverId: params.id, input: body }));
