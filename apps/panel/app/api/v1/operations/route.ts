import { ROUTES } from '@berth/contracts';
import { listOperations } from '@berth/core';
import { apiRoute } from '../../../../server/api-route.ts';

export const GET = apiRoute(ROUTES.listOperations, ({ db, principal, query }) => listOperations({ db, principal, query }));
