import { ROUTES } from '@berth/contracts';
import { createTenant, listTenants } from '@berth/core';
import { apiRoute } from '../../../../server/api-route.ts';

export const GET = apiRoute(ROUTES.listTenants, ({ db, principal, query }) => listTenants({ db, principal, query }));
export const POST = apiRoute(ROUTES.createTenant, ({ db, principal, body }) => createTenant({ db, principal, input: body }));
