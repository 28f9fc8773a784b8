import { ROUTES } from '@berth/contracts';
import { getAccount } from '@berth/core';
import { apiRoute } from '../../../../server/api-route.ts';

export const GET = apiRoute(ROUTES.getAccount, ({ db, principal }) => getAccount({ db, principal }));
