import { ROUTES } from '@berth/contracts';
import { listPlans } from '@berth/core';
import { apiRoute } from '../../../../server/api-route.ts';

export const GET = apiRoute(ROUTES.listPlans, ({ db, principal }) => listPlans({ db, principal }));
