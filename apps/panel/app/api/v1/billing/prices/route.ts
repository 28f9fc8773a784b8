import { ROUTES } from '@berth/contracts';
import { listResellerPrices, setResellerPrice } from '@berth/core';
import { apiRoute } from '../../../../../server/api-route.ts';

export const GET = apiRoute(ROUTES.listResellerPrices, ({ db, principal, query }) => listResellerPrices({ db, principal, resellerId: query.resellerId }));
export const PUT = apiRoute(ROUTES.setResellerPrice, ({ db, principal, body }) => setResellerPrice({ db, principal, input: body }));
