import { ROUTES } from '@berth/contracts';
import { restoreToNewServer } from '@berth/core';
import { apiRoute } from '../../../../../../server/api-route.ts';

export const POST = apiRoute(ROUTES.restoreToNewServer, ({ db, principal, params, body }) => restoreToNewServer({ db, principal, backupId: params.id, input: body }));
