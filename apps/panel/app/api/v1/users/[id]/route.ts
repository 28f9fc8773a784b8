import { ROUTES } from '@berth/contracts';
import { deleteUser } from '@berth/core';
import { apiRoute } from '../../../../../server/api-route.ts';

export const DELETE = apiRoute(ROUTES.deleteUser, ({ db, principal, params }) => deleteUser({ db, principal, userId: params.id }));
