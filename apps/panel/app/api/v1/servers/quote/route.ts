import { ROUTES } from '@berth/contracts';
import { quoteServer } from '@berth/core';
import { apiRoute } from '../../../../../server/api-route.ts';

export const POST = apiRoute(ROUTES.quoteServer, ({ db, principal, body }) => quoteServer({ db, principal, input: body }));
