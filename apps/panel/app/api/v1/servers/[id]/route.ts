import { deleteServer, getServer } from '@berth/core';
import { withAuth } from '../../../../../server/with-auth.ts';
import { json } from '../../../../../server/http.ts';

export const GET = withAuth(async ({ principal, db, params }) => json(await getServer({ db, principal, serverId: params.id! })));

export const DELETE = withAuth(async ({ principal, db, params }) =>
  json(await deleteServer({ db, principal, serverId: params.id! }), 202));
