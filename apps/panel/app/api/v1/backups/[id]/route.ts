import { ROUTES } from '@berth/contracts';
import { deleteBackup, getBackup } from '@berth/core';
import { apiRoute } from '../../../../../server/api-route.ts';

export const GET = apiRoute(ROUTES.getBackup, ({ db, principal, params }) => getBackup({ db, principal, backupId: params.id }));
export const DELETE = apiRoute(ROUTES.deleteBackup, ({ db, principal, params }) => deleteBackup({ db, principal, backupId: params.id }));
