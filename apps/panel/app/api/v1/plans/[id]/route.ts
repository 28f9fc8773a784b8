import { ROUTES } from '@berth/contracts';
import { getPlan, updatePlan } from '@berth/core';
import { apiRoute } from '../../../../../server/api-route.ts';

export const GET = apiRoute(ROUTES.getPlan, ({ db, principal, params }) => getPlan({ db, principal, planId: params.id }));
export const PATCH = apiRoute(ROUTES.updatePlan, ({ db, principal, params, body }) => updatePlan({ db, principal, planId: params.id, input: body }));
