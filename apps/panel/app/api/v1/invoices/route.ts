import { ROUTES } from '@berth/contracts';
import { listInvoices } from '@berth/core';
import { apiRoute } from '../../../../server/api-route.ts';

export const GET = apiRoute(ROUTES.listInvoices, ({ db, principal, query }) => listInvoices({ db, principal, query }));
