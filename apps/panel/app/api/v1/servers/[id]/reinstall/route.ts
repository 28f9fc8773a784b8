import { ZReinstallServerRequest } from '@berth/contracts';
import { reinstallServer } from '@berth/core';
import { withAuth } from '../../../../../../server/with-auth.ts';
import { json, readJson } from '../../../../../../server/http.ts';

export const POST = withAuth(async ({ req, principal, db, params }) => {
  const input = ZReinstallServerRequest.parse(await readJson(req));
  return json(await reinstallServer({ db, principal, serverId: params.id!, input }), 202);
});
