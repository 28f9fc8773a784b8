import { ROUTES } from '@berth/contracts';
import { restoreSnapshot } from '@berth/core';
import { apiRoute } from '../../../../../../server/api-route.ts';

export const POST = apiRoute(ROUTES.restoreSnapshot, ({ db, principal, params }) => restoreSnapshot({ db, principal, snapshotId: params.id }));
