import { ROUTES } from '@berth/contracts';
import { recordPayment } from '@berth/core';
import { apiRoute } from '../../../../../server/api-route.ts';

export const POST = apiRoute(ROUTES.recordPayment, ({ db, principal, body }) => recordPayment({ db, principal, input: body }));
