import { ROUTES } from '@berth/contracts';
import { getBillingSummary } from '@berth/core';
import { apiRoute } from '../../../../../server/api-route.ts';

export const GET = apiRoute(ROUTES.getBillingSummary, ({ db, principal, query }) => getBillingSummary({ db, principal, tenantId: query.tenantId }));
