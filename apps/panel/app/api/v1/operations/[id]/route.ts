import { ZGetOperationQuery } from '@berth/contracts';
import { getOperation, waitForOperation } from '@berth/core';
import { withAuth } from '../../../../../server/with-auth.ts';
import { json } from '../../../../../server/http.ts';
import { subscribeOperation } from '../../../../../server/operation-events.ts';

export const GET = withAuth(async ({ req, principal, db, params }) => {
  const { wait } = ZGetOperationQuery.parse(Object.fromEntries(req.nextUrl.searchParams));
  const operationId = params.id!;
  if (wait === 0) return json(await getOperation({ db, principal, operationId }));
  return json(await waitForOperation({ db, principal, operationId, timeoutMs: wait * 1000, subscribe: await subscribeOperation() }));
});
