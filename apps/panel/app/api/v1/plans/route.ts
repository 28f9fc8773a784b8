import { ROUTES } from '@berth/contracts';
import { createPlan, listPlans } from '@berth/core';
import { apiRoute } from '../../../../server/api-route.ts';

export const GET = apiRoute(ROUTES.listPlans, ({ db, principal, query }) => listPlans({ db, principal, includeRetired: query.includeRetired }));
export const POST = apiRoute(ROUTES.createPlan, ({ db, principal, body }) => createPlan({ db, principal, input: body }));
