import { ROUTES } from '@berth/contracts';
import { listHosts } from '@berth/core';
import { apiRoute } from '../../../../server/api-route.ts';

export const GET = apiRoute(ROUTES.listHosts, ({ db, principal, query }) => listHosts({ db, principal, query }));
