import { ROUTES } from '@berth/contracts';
import { getServerMetrics } from '@berth/core';
import { apiRoute } from '../../../../../../server/api-route.ts';

export const GET = apiRoute(ROUTES.getServerMetrics, ({ db, principal, params, query }) => getServerMetrics({ db, principal, serverId: params.id, query }));
