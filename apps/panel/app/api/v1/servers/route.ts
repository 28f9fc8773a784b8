import { ZCreateServerRequest, ZListServersQuery } from '@berth/contracts';
import { createServer, listServers } from '@berth/core';
import { withAuth } from '../../../../server/with-auth.ts';
import { json, readJson } from '../../../../server/http.ts';

export const GET = withAuth(async ({ req, principal, db }) => {
  const query = ZListServersQuery.parse(Object.fromEntries(req.nextUrl.searchParams));
  return json(await listServers({ db, principal, query }));
});

export const POST = withAuth(async ({ req, principal, db }) => {
  const input = ZCreateServerRequest.parse(await readJson(req));
  return json(await createServer({ db, principal, input }), 202);
});
