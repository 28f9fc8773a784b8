import { ROUTES } from '@berth/contracts';
import { getHost, updateHost } from '@berth/core';
import { apiRoute } from '../../../../../server/api-route.ts';

export const GET = apiRoute(ROUTES.getHost, ({ db, principal, params }) => getHost({ db, principal, hostId: params.id }));
export const PATCH = apiRoute(ROUTES.updateHost, ({ db, principal, params, body }) => updateHost({ db, principal, hostId: params.id, input: body }));
