import { ROUTES } from '@berth/contracts';
import { addUser, listUsers } from '@berth/core';
import { apiRoute } from '../../../../server/api-route.ts';

export const GET = apiRoute(ROUTES.listUsers, ({ db, principal, query }) => listUsers({ db, principal, query }));
export const POST = apiRoute(ROUTES.createUser, ({ db, principal, body }) => addUser({ db, principal, input: body }));
