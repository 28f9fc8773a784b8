import { ZUpdateTenantRequest } from '@berth/contracts';
import { updateTenantNetwork } from '@berth/core';
import { withAuth } from '../../../../server/with-auth.ts';
import { json, readJson } from '../../../../server/http.ts';

export const PATCH = withAuth(async ({ req, principal, db }) => {
  const input = ZUpdateTenantRequest.parse(await readJson(req));
  return json(await updateTenantNetwork({ db, principal, input }), 202);
});
