import { ROUTES } from '@berth/contracts';
import { updateTenantNetwork } from '@berth/core';
import { apiRoute } from '../../../../server/api-route.ts';

export const PATCH = apiRoute(ROUTES.updateTenant, ({ db, principal, body }) => updateTenantNetwork({ db, principal, input: body }));
