import { ROUTES } from '@berth/contracts';
import { listTemplates } from '@berth/core';
import { apiRoute } from '../../../../server/api-route.ts';

export const GET = apiRoute(ROUTES.listTemplates, ({ db, principal }) => listTemplates({ db, principal }));
