import { ROUTES } from '@berth/contracts';
import { getInvoice } from '@berth/core';
import { apiRoute } from '../../../../../server/api-route.ts';

export const GET = apiRoute(ROUTES.getInvoice, ({ db, principal, params }) => getInvoice({ db, principal, invoiceId: params.id }));
