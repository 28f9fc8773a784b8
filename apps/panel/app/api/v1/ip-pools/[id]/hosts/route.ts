import { ROUTES } from '@berth/contracts';
import { addIpPoolHost } from '@berth/core';
import { apiRoute } from '../../../../../../server/api-route.ts';

export const POST = apiRoute(ROUTES.addIpPoolHost, ({ db, principal, params, body }) => addIpPoolHost({ db, principal, poolId: params.id, input: body }));
