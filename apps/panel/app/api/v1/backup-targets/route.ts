import { ROUTES } from '@berth/contracts';
import { createBackupTarget, listBackupTargets } from '@berth/core';
import { apiRoute } from '../../../../server/api-route.ts';

export const GET = apiRoute(ROUTES.listBackupTargets, ({ db, principal }) => listBackupTargets({ db, principal }));
export const POST = apiRoute(ROUTES.createBackupTarget, ({ db, principal, body }) => createBackupTarget({ db, principal, input: body }));
