import { ROUTES } from '@berth/contracts';
import { migrateServer } from '@berth/core';
import { apiRoute } from '../../../../../../server/api-route.ts';

export const POST = apiRoute(ROUTES.migrateServer, ({ db, principal, params, body }) => migrateServer({ db, principal, serverId: params.id, input: body }));
