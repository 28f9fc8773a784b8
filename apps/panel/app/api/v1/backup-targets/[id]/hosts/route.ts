import { ROUTES } from '@berth/contracts';
import { attachBackupTarget } from '@berth/core';
import { apiRoute } from '../../../../../../server/api-route.ts';

export const POST = apiRoute(ROUTES.attachBackupTarget, ({ db, principal, params, body }) => attachBackupTarget({ db, principal, targetId: params.id, hostId: body.hostId }));
