import { ZResizeServerRequest } from '@berth/contracts';
import { resizeServer } from '@berth/core';
import { withAuth } from '../../../../../../server/with-auth.ts';
import { json, readJson } from '../../../../../../server/http.ts';

export const POST = withAuth(async ({ req, principal, db, params }) => {
  const input = ZResizeServerRequest.parse(await readJson(req));
  return json(await resizeServer({ db, principal, serverId: params.id!, input }), 202);
});
