import { ROUTES } from '@berth/contracts';
import { createSnapshot, listSnapshots } from '@berth/core';
import { apiRoute } from '../../../../../../server/api-route.ts';

export const GET = apiRoute(ROUTES.listSnapshots, ({ db, principal, params }) => listSnapshots({ db, principal, serverId: params.id }));
export const POST = apiRoute(ROUTES.createSnapshot, ({ db, principal, params, body }) => createSnapshot({ db, principal, serverId: params.id, input: body }));
