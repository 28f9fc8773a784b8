import { ROUTES } from '@berth/contracts';
import { verifyBackup } from '@berth/core';
import { apiRoute } from '../../../../../../server/api-route.ts';

export const POST = apiRoute(ROUTES.verifyBackup, ({ db, principal, params }) => verifyBackup({ db, principal, backupId: params.id }));
