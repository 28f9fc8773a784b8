import { ROUTES } from '@berth/contracts';
import { reinstallServer } from '@berth/core';
import { apiRoute } from '../../../../../../server/api-route.ts';

export const POST = apiRoute(ROUTES.reinstallServer, ({ db, principal, params, body }) => reinstallServer({ db, principal, serverId: params.id, input: body }));
