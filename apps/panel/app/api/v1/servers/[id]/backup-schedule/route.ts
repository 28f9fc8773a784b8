import { ROUTES } from '@berth/contracts';
import { getBackupSchedule, putBackupSchedule } from '@berth/core';
import { apiRoute } from '../../../../../../server/api-route.ts';

export const GET = apiRoute(ROUTES.getBackupSchedule, ({ db, principal, params }) => getBackupSchedule({ db, principal, serverId: params.id }));
export const PUT = apiRoute(ROUTES.putBackupSchedule, ({ db, principal, params, body }) => putBackupSchedule({ db, principal, serverId: params.id, input: body }));
