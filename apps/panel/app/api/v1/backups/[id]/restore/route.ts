import { ROUTES } from '@berth/contracts';
import { restoreBackup } from '@berth/core';
import { apiRoute } from '../../../../../../server/api-route.ts';

export const POST = apiRoute(ROUTES.restoreBackup, ({ db, principal, params }) => restoreBackup({ db, principal, backupId: params.id }));
