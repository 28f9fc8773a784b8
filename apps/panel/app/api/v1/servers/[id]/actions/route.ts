import { ZServerAction } from '@berth/contracts';
import { actOnServer } from '@berth/core';
import { withAuth } from '../../../../../../server/with-auth.ts';
import { json, readJson } from '../../../../../../server/http.ts';

export const POST = withAuth(async ({ req, principal, db, params }) => {
  const action = ZServerAction.parse(await readJson(req));
  return json(await actOnServer({ db, principal, serverId: params.id!, action }), 202);
});
