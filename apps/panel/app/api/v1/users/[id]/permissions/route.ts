import { ROUTES } from '@berth/contracts';
import { getUserPermissions, setUserPermissions } from '@berth/core';
import { apiRoute } from '../../../../../../server/api-route.ts';

export const GET = apiRoute(ROUTES.getUserPermissions, ({ db, principal, params }) => getUserPermissions({ db, principal, userId: params.id }));
export const PUT = apiRoute(ROUTES.setUserPermissions, ({ db, principal, params, body }) => setUserPermissions({ db, principal, userId: params.id, input: body }));
