import { ROUTES } from '@berth/contracts';
import { getOperation, waitForOperation } from '@berth/core';
import { apiRoute } from '../../../../../server/api-route.ts';
import { subscribeOperation } from '../../../../../server/operation-events.ts';

export const GET = apiRoute(ROUTES.getOperation, async ({ db, principal, params, query }) =>
  query.wait === 0
    ? getOperation({ db, principal, operationId: params.id })
    : waitForOperation({ db, principal, operationId: params.id, timeoutMs: query.wait * 1000, subscribe: await subscribeOperation() }));
