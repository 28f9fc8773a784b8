import { getOperation } from '@berth/core';
import { withAuth } from '../../../../../server/with-auth.ts';
import { json } from '../../../../../server/http.ts';

export const GET = withAuth(async ({ principal, db, params }) => json(await getOperation({ db, principal, operationId: params.id! })));
