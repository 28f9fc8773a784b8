import { ROUTES } from '@berth/contracts';
import { deleteSnapshot } from '@berth/core';
import { apiRoute } from '../../../../../server/api-route.ts';

export const DELETE = apiRoute(ROUTES.deleteSnapshot, ({ db, principal, params }) => deleteSnapshot({ db, principal, snapshotId: params.id }));
