import { listPlans } from '@berth/core';
import { withAuth } from '../../../../server/with-auth.ts';
import { json } from '../../../../server/http.ts';

export const GET = withAuth(async ({ principal, db }) => json(await listPlans({ db, principal })));
