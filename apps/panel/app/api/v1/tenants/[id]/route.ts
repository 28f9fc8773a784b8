import { ROUTES } from '@berth/contracts';
import { getTenant, updateTenant } from '@berth/core';
import { apiRoute } from '../../../../../server/api-route.ts';

export const GET = apiRoute(ROUTES.getTenant, ({ db, principal, params }) => getTenant({ db, principal, tenantId: params.id }));
export const PATCH = apiRoute(ROUTES.updateTenantById, ({ db, principal, params, body }) => updateTenant({ db, principal, tenantId: params.id, input: body }));
