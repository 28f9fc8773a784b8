import { ROUTES } from '@berth/contracts';
import { evacuateHost } from '@berth/core';
import { apiRoute } from '../../../../../../server/api-route.ts';

export const POST = apiRoute(ROUTES.evacuateHost, ({ db, principal, params }) => evacuateHost({ db, principal, hostId: params.id }));
