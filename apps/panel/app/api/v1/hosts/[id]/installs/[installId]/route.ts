import { ROUTES } from '@berth/contracts';
import { getHostInstall } from '@berth/core';
import { apiRoute } from '../../../../../../../server/api-route.ts';

export const GET = apiRoute(ROUTES.getHostInstall, ({ db, principal, params }) => getHostInstall({ db, principal, hostId: params.id, installId: params.installId }));
