import { ROUTES } from '@berth/contracts';
import { resizeServer } from '@berth/core';
import { apiRoute } from '../../../../../../server/api-route.ts';

export const POST = apiRoute(ROUTES.resizeServer, ({ db, principal, params, body }) => resizeServer({ db, principal, serverId: params.id, input: body }));
