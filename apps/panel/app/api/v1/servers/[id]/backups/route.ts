import { ROUTES } from '@berth/contracts';
import { createBackup, listBackups } from '@berth/core';
import { apiRoute } from '../../../../../../server/api-route.ts';

export const GET = apiRoute(ROUTES.listBackups, ({ db, principal, params, query }) => listBackups({ db, principal, serverId: params.id, includeDeleted: query.includeDeleted }));
export const POST = apiRoute(ROUTES.createBackup, ({ db, principal, params, body }) => createBackup({ db, principal, serverId: params.id, input: body }));
